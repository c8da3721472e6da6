// Keyboard shortcuts for blind rating: ← or 1 = left, → or 2 = right, ↓ or 0 = can't tell.
// The buttons do the same without the script.
(function () {
  const form = document.getElementById('rate-form');
  const rater = document.getElementById('rater');
  if (!form) return;
  const keys = { ArrowLeft: 'left', '1': 'left', ArrowRight: 'right', '2': 'right', ArrowDown: 'tie', '0': 'tie' };
  let sent = false;

  form.addEventListener('submit', function (event) {
    if (sent) event.preventDefault();
    sent = true;
  });

  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT')) {
      // In the name field, Enter leaves it and the arrow keys move the caret as usual.
      if (event.key === 'Enter' && target === rater) {
        event.preventDefault();
        rater.blur();
      }
      return;
    }
    const choice = keys[event.key];
    if (!choice) return;
    event.preventDefault();
    if (rater && rater.value.trim() === '') {
      rater.focus();
      rater.reportValidity();
      return;
    }
    const button = form.querySelector('button[name="choice"][value="' + choice + '"]');
    if (button && !sent) form.requestSubmit(button);
  });

  if (rater && rater.value.trim() === '') rater.focus();
})();
