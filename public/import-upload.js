// Uploads the chosen file straight to the API (POST /api/v1/import, the file as the body) so the
// page can show the upload's progress, then shows the result or the rows to fix. Without
// JavaScript the form posts as multipart to /import and the server renders the same answers.
(function () {
  const form = document.getElementById('import-form');
  const input = document.getElementById('import-file');
  const progress = document.getElementById('import-progress');
  const status = document.getElementById('import-status');
  const result = document.getElementById('import-result');
  const configEl = document.getElementById('import-config');
  if (!form || !input || !progress || !status || !result || !configEl || !window.XMLHttpRequest) return;
  const config = JSON.parse(configEl.textContent || '{}');
  const button = form.querySelector('button[type="submit"]');

  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0) + ' MB';
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function show(nodes) {
    result.replaceChildren.apply(result, nodes);
  }

  function showError(message, details) {
    const nodes = [element('div', 'banner error', message)];
    nodes[0].setAttribute('role', 'alert');
    if (details && details.length) {
      const list = element('ul', 'errors');
      details.forEach(function (d) {
        const item = element('li');
        item.appendChild(element('strong', '', d.field));
        item.appendChild(document.createTextNode(': ' + d.message));
        list.appendChild(item);
      });
      nodes.push(list);
    }
    show(nodes);
  }

  function finish() {
    progress.hidden = true;
    status.textContent = '';
    if (button) button.disabled = false;
  }

  form.addEventListener('submit', function (event) {
    const file = input.files && input.files[0];
    if (!file) return; // the browser's own "required" message
    const dot = file.name.lastIndexOf('.');
    const extension = dot >= 0 ? file.name.slice(dot).toLowerCase() : '';
    const format = { '.csv': 'csv', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson' }[extension];
    event.preventDefault();
    if (!format) {
      showError('Cannot tell the format of ' + file.name + ': its name must end in ' + config.extensions.join(', ') + '.');
      return;
    }
    const force = form.elements.namedItem('force');
    const url = config.endpoint + '?filename=' + encodeURIComponent(file.name) + (force && force.checked ? '&force=1' : '');
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Content-Type', config.mediaTypes[format]);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      progress.value = e.loaded / e.total;
      status.textContent = 'Uploading: ' + megabytes(e.loaded) + ' of ' + megabytes(e.total);
    };
    xhr.upload.onload = function () {
      progress.removeAttribute('value'); // indeterminate while the last rows are checked and saved
      status.textContent = 'Checking and saving the rows…';
    };
    xhr.onload = function () {
      finish();
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (err) {
        body = null;
      }
      if (xhr.status === 201 && body) {
        const banner = element('div', 'banner success', 'Imported ' + body.created.toLocaleString('en-US') + ' run' + (body.created === 1 ? '' : 's') + ' from ' + (body.import.filename || 'the file') + ' (import #' + body.import.id + '). ');
        banner.setAttribute('role', 'status');
        const link = element('a', '', 'See the runs');
        link.href = '/runs';
        banner.appendChild(link);
        show([banner]);
        form.reset();
        return;
      }
      if (body && body.error) {
        if (xhr.status === 409 && force) force.checked = true;
        showError(body.error.message, body.error.details);
      } else {
        showError('The import failed (HTTP ' + xhr.status + ').');
      }
    };
    xhr.onerror = function () {
      finish();
      showError('The upload failed: the server could not be reached.');
    };
    show([]);
    progress.hidden = false;
    progress.value = 0;
    status.textContent = 'Uploading…';
    if (button) button.disabled = true;
    xhr.send(file);
  });
})();
