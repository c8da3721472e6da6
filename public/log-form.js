// Live guide-range hint for the steps field: warns as you type when the steps fall outside the
// model's guide range (e.g. FLUX.1 Schnell above 4). The server repeats the check after saving.
(function () {
  const rangesEl = document.getElementById('model-ranges');
  const model = document.getElementById('f-model');
  const steps = document.getElementById('f-steps');
  const hint = document.getElementById('steps-hint');
  if (!rangesEl || !model || !steps || !hint) return;
  const ranges = JSON.parse(rangesEl.textContent || '{}');

  function update() {
    const info = ranges[model.value];
    const n = Number(steps.value);
    hint.textContent = '';
    hint.className = 'hint';
    if (!info || !steps.value || !Number.isFinite(n)) return;
    const g = info.guide;
    if (g.maxSteps !== null && n > g.maxSteps) {
      hint.textContent = info.name + ' is made for at most ' + g.maxSteps + ' steps: more adds time, not quality.';
      hint.className = 'hint warn';
    } else if (g.minSteps !== null && n < g.minSteps) {
      hint.textContent = 'Below ' + info.name + "'s minimum of " + g.minSteps + ' steps: expect rough details.';
      hint.className = 'hint warn';
    } else if (g.recommendedLow !== null && g.recommendedHigh !== null) {
      hint.textContent = 'Guide: ' + g.recommendedLow + '–' + g.recommendedHigh + (g.sweetSpot ? ', sweet spot ' + g.sweetSpot : '');
    }
  }
  model.addEventListener('change', update);
  steps.addEventListener('input', update);
  update();
})();
