// The fill-in grid: keyboard movement between cells (Enter = next cell, arrow keys = neighbours,
// Tab as usual) and saving each cell when it changes, through the JSON API. Without this script
// the grid is one form whose button saves every changed cell.
(function () {
  const dataEl = document.getElementById('grid-data');
  const grid = document.getElementById('fill-grid');
  const status = document.getElementById('grid-status');
  if (!dataEl || !grid) return;
  const data = JSON.parse(dataEl.textContent || '{}');
  const inputs = Array.prototype.slice.call(grid.querySelectorAll('input.cell-input'));

  function at(row, col) {
    return grid.querySelector('input.cell-input[data-row="' + row + '"][data-col="' + col + '"]');
  }
  function focus(input) {
    if (!input) return false;
    input.focus();
    input.select();
    return true;
  }

  grid.addEventListener('keydown', function (event) {
    const input = event.target;
    if (!input.classList || !input.classList.contains('cell-input')) return;
    const row = Number(input.dataset.row);
    const col = Number(input.dataset.col);
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length && input.selectionEnd === input.value.length;
    let moved = false;
    if (event.key === 'Enter') {
      // The next cell (Shift: the previous one); on the last cell Enter submits the whole grid.
      const i = inputs.indexOf(input);
      moved = focus(inputs[event.shiftKey ? i - 1 : i + 1]);
    } else if (event.key === 'ArrowDown') moved = focus(at(row + 1, col)) || true;
    else if (event.key === 'ArrowUp') moved = focus(at(row - 1, col)) || true;
    else if (event.key === 'ArrowRight' && (atEnd || input.selectionStart !== input.selectionEnd)) moved = focus(at(row, col + 1));
    else if (event.key === 'ArrowLeft' && (atStart || input.selectionStart !== input.selectionEnd)) moved = focus(at(row, col - 1));
    if (moved) event.preventDefault();
  });

  function number(text) {
    const t = text.trim().replace(',', '.');
    if (t === '') return null;
    const n = Number(t);
    return Number.isFinite(n) ? n : NaN;
  }

  function save(input) {
    const runId = input.dataset.run;
    const cell = input.closest('td');
    const time = cell.querySelector('input.cell-time');
    const score = cell.querySelector('input.cell-score');
    const seconds = number(time.value);
    const body = {
      durationMs: seconds === null ? null : Number.isNaN(seconds) ? time.value : Math.round(seconds * 1000),
      score: number(score.value) === null ? null : Number.isNaN(number(score.value)) ? score.value : number(score.value),
    };
    cell.classList.remove('saved', 'invalid');
    cell.classList.add('saving');
    return fetch(data.runApi + encodeURIComponent(runId), {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    })
      .then(function (res) {
        return res.json().then(function (json) {
          cell.classList.remove('saving');
          if (res.ok) {
            cell.classList.add('saved');
            time.removeAttribute('aria-invalid');
            score.removeAttribute('aria-invalid');
            cell.title = '';
            time.defaultValue = time.value;
            score.defaultValue = score.value;
            if (status) status.textContent = 'Saved.';
          } else {
            cell.classList.add('invalid');
            const message = json && json.error ? json.error.message : 'Not saved';
            cell.title = message;
            (message.indexOf('score') >= 0 ? score : time).setAttribute('aria-invalid', 'true');
            if (status) status.textContent = 'Not saved: ' + message;
          }
        });
      })
      .catch(function () {
        cell.classList.remove('saving');
        cell.classList.add('invalid');
        if (status) status.textContent = 'Not saved: the server could not be reached. The button below saves everything.';
      });
  }

  grid.addEventListener('change', function (event) {
    const input = event.target;
    if (input.classList && input.classList.contains('cell-input')) save(input);
  });
})();
