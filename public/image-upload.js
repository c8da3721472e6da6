// Drag-and-drop upload of many images: sends them to the API (POST /api/v1/images, multipart field
// "files") with a progress bar and shows one result per file. Without JavaScript the form posts as
// multipart to /images and the server renders the same results.
(function () {
  const form = document.getElementById('image-form');
  const input = document.getElementById('image-files');
  const progress = document.getElementById('image-progress');
  const status = document.getElementById('image-status');
  const results = document.getElementById('image-results');
  const hint = document.getElementById('image-drop-hint');
  const configEl = document.getElementById('image-config');
  if (!form || !input || !progress || !status || !results || !configEl || !window.XMLHttpRequest || !window.FormData) return;
  const config = JSON.parse(configEl.textContent || '{}');
  const button = form.querySelector('button[type="submit"]');
  if (hint) hint.hidden = false;

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function link(href, text) {
    const a = element('a', '', text);
    a.href = href;
    return a;
  }

  function showError(message) {
    const banner = element('div', 'banner error', message);
    banner.setAttribute('role', 'alert');
    results.replaceChildren(banner);
  }

  function showResults(list) {
    const table = element('table', 'image-results');
    const head = element('thead');
    const headRow = element('tr');
    ['File', 'Result', 'Run', 'Model'].forEach(function (label) {
      const th = element('th', '', label);
      th.scope = 'col';
      headRow.appendChild(th);
    });
    head.appendChild(headRow);
    const body = element('tbody');
    list.forEach(function (r) {
      const row = element('tr', 'result-' + r.status);
      row.appendChild(element('td', '', r.file));
      const result = element('td');
      result.appendChild(element('strong', '', r.status));
      result.appendChild(document.createTextNode(': ' + r.message));
      if (r.modelMatch && !r.modelMatch.exact) {
        const note = element('p', 'match-note');
        note.setAttribute('role', 'note');
        note.appendChild(element('strong', '', 'Check the model: '));
        note.appendChild(document.createTextNode(r.modelMatch.note + ' '));
        note.appendChild(link('/model-aliases', 'Model names'));
        result.appendChild(note);
      }
      if (r.linkPlannedRun && r.sha256) {
        const linkForm = element('form', 'inline-form');
        linkForm.method = 'post';
        linkForm.action = '/images/' + r.sha256 + '/link';
        const button = element('button', 'button small', 'Link it to planned run #' + r.linkPlannedRun.runId);
        button.type = 'submit';
        linkForm.appendChild(button);
        result.appendChild(linkForm);
      }
      row.appendChild(result);
      const run = element('td');
      if (r.runId) run.appendChild(link('/runs/' + r.runId, '#' + r.runId));
      else if (r.status === 'incomplete' && r.sha256) run.appendChild(link('/images/' + r.sha256 + '/complete', 'Complete it'));
      else run.textContent = '—';
      row.appendChild(run);
      const model = element('td');
      if (r.model) {
        model.appendChild(link('/models/' + encodeURIComponent(r.model), r.model));
        if (r.modelCreated) model.appendChild(document.createTextNode(' (new)'));
      } else model.textContent = '—';
      row.appendChild(model);
      body.appendChild(row);
    });
    table.appendChild(head);
    table.appendChild(body);
    const wrap = element('div', 'table-wrap panel');
    wrap.appendChild(table);
    const ok = list.filter(function (r) { return r.ok; }).length;
    results.replaceChildren(element('h2', '', 'This upload'), element('p', 'muted', ok + ' of ' + list.length + ' files stored.'), wrap);
  }

  function upload(files) {
    if (!files.length) return;
    if (files.length > config.maxFiles) {
      showError('Choose at most ' + config.maxFiles + ' files per upload (' + files.length + ' chosen).');
      return;
    }
    const data = new FormData();
    Array.prototype.forEach.call(files, function (file) { data.append(config.field, file, file.name); });
    const xhr = new XMLHttpRequest();
    xhr.open('POST', config.endpoint);
    xhr.setRequestHeader('Accept', 'application/json');
    progress.hidden = false;
    progress.value = 0;
    if (button) button.disabled = true;
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      progress.value = e.loaded / e.total;
      status.textContent = 'Uploading ' + files.length + ' file' + (files.length === 1 ? '' : 's') + ': ' + Math.round((100 * e.loaded) / e.total) + '%';
    };
    xhr.upload.onload = function () {
      progress.removeAttribute('value');
      status.textContent = 'Reading the settings and storing the images…';
    };
    function finish() {
      progress.hidden = true;
      status.textContent = '';
      if (button) button.disabled = false;
    }
    xhr.onload = function () {
      finish();
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (body && Array.isArray(body.results)) showResults(body.results);
      else showError((body && body.error && body.error.message) || 'The upload failed (HTTP ' + xhr.status + ').');
    };
    xhr.onerror = function () {
      finish();
      showError('The upload failed: the server could not be reached.');
    };
    xhr.send(data);
  }

  form.addEventListener('submit', function (event) {
    if (!input.files || !input.files.length) return; // the browser's own "required" message
    event.preventDefault();
    upload(input.files);
  });
  ['dragenter', 'dragover'].forEach(function (type) {
    form.addEventListener(type, function (event) {
      event.preventDefault();
      form.classList.add('dragging');
    });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    form.addEventListener(type, function () { form.classList.remove('dragging'); });
  });
  form.addEventListener('drop', function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files) upload(event.dataTransfer.files);
  });
})();
