// The experiment page's "Render this plan" panel: starts a run through the JSON API, follows its
// progress by polling GET /api/v1/experiments/:id/render, and pauses, resumes or cancels it.
(function () {
  const dataEl = document.getElementById('render-data');
  const form = document.getElementById('render-form');
  if (!dataEl || !form) return;
  const data = JSON.parse(dataEl.textContent || '{}');
  const base = '/api/v1/experiments/' + data.experimentId;
  const el = function (id) { return document.getElementById(id); };
  const message = el('render-message');
  let timer = null;

  function seconds(s) {
    if (s === null || s === undefined) return '?';
    return s >= 90 ? Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s' : s.toFixed(1) + ' s';
  }
  function show(render) {
    const bar = el('render-progress');
    bar.max = Math.max(1, render.total);
    bar.value = render.done;
    el('render-counts').textContent = render.done + ' of ' + render.total + ' renders' + (render.failed > 0 ? ', ' + render.failed + ' failed' : '') + (render.mode === 'adaptive' ? ' (round ' + render.round + ')' : '');
    el('render-times').textContent = 'spent ' + seconds(render.secondsSpent) + ' · left ' + seconds(render.secondsLeft);
    el('render-state').textContent = render.state;
    el('render-reason').textContent = render.stopReason || '';
    if (render.state === 'running' || (render.state === 'paused' && render.waitingForRatings !== null)) schedule();
  }
  function schedule() {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(poll, 1000);
  }
  function poll() {
    timer = null;
    fetch(base + '/render', { headers: { accept: 'application/json' } })
      .then(function (res) { return res.json(); })
      .then(function (body) { if (body.render) show(body.render); })
      .catch(function () { message.textContent = 'Could not read the progress; retrying'; schedule(); });
  }
  function send(path, body) {
    message.textContent = '';
    return fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body || {}) })
      .then(function (res) { return res.json().then(function (json) { return { ok: res.ok, json: json }; }); })
      .then(function (answer) {
        if (!answer.ok) { message.textContent = answer.json.error ? answer.json.error.message : 'The request failed'; return; }
        if (answer.json.render) show(answer.json.render);
      })
      .catch(function () { message.textContent = 'The request failed'; });
  }

  fetch('/api/v1/renderers', { headers: { accept: 'application/json' } })
    .then(function (res) { return res.json(); })
    .then(function (body) {
      const box = el('render-renderers');
      if (!body.renderers || body.renderers.length === 0) return;
      box.textContent = '';
      body.renderers.forEach(function (r) {
        const label = document.createElement('label');
        const input = document.createElement('input');
        input.type = 'checkbox';
        input.name = 'renderer';
        input.value = String(r.id);
        input.checked = true;
        label.appendChild(input);
        label.appendChild(document.createTextNode(' ' + r.name + ' (' + r.kind + (r.hardware ? ', ' + r.hardware : '') + ')'));
        box.appendChild(label);
      });
    });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    const fd = new FormData(form);
    const body = { renderers: fd.getAll('renderer').map(Number), mode: fd.get('mode') };
    if (body.mode === 'adaptive') {
      const target = {};
      ['halfWidth', 'maxRenders', 'maxMinutes'].forEach(function (k) { const v = String(fd.get(k) || '').trim(); if (v !== '') target[k] = Number(v); });
      body.target = target;
      body.metric = fd.get('metric');
    }
    send('/run', body);
  });
  document.querySelectorAll('[data-render-action]').forEach(function (button) {
    button.addEventListener('click', function () { send('/' + button.dataset.renderAction); });
  });
  poll();
})();
