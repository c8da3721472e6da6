// Draws the report and compare charts with Chart.js from the JSON embedded beside each canvas
// (<script type="application/json" id="CANVAS-ID-data">): no inline script, so the page's
// Content-Security-Policy can forbid them. Colours are the Okabe–Ito palette (safe for colour-blind
// readers) and overlaid series also differ by dash pattern and point shape.
(function () {
  'use strict';
  if (typeof Chart === 'undefined') return;

  var C = {
    blue: '#0072B2',
    orange: '#E69F00',
    green: '#009E73',
    vermillion: '#D55E00',
    purple: '#CC79A7',
    sky: '#56B4E9',
    yellow: '#F0E442',
    ink: '#1f2933',
    grey: '#7b8794',
  };
  var SERIES = [C.blue, C.orange, C.green, C.vermillion, C.purple, C.sky, C.ink];
  var DASHES = [[], [8, 4], [2, 3], [10, 3, 2, 3], [4, 4], [1, 2], [14, 4]];
  var SHAPES = ['circle', 'rect', 'triangle', 'rectRot', 'crossRot', 'star', 'rectRounded'];

  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }
  function fmt(v, digits) {
    return v === null || v === undefined || !isFinite(v) ? '—' : Number(v).toFixed(digits === undefined ? 2 : digits);
  }
  function seconds(s) {
    if (s < 90) return fmt(s, s < 10 ? 2 : 1) + ' s';
    if (s < 5400) return fmt(s / 60, 1) + ' min';
    return fmt(s / 3600, 1) + ' h';
  }
  /** A fixed pseudo-random number in [0, 1) per index, so the jitter is the same on every load. */
  function noise(i) {
    var x = Math.sin(i * 12.9898 + 78.233) * 43758.5453;
    return x - Math.floor(x);
  }

  var bodyFont = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.family = bodyFont;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#5f6b7a';
  Chart.defaults.borderColor = '#e2e6eb';
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 18;
  Chart.defaults.plugins.legend.labels.boxHeight = 8;

  // Shaded vertical (or horizontal) bands with a label, and marker lines: the sweet spot's interval,
  // the guide's range. Options: plugins.ssBands = { bands: [{ axis, from, to, color, outline, label,
  // labelAt: 'top'|'bottom' }], lines: [{ axis, at, color, dash, label }] }.
  var bandsPlugin = {
    id: 'ssBands',
    beforeDatasetsDraw: function (chart, _args, opts) {
      var area = chart.chartArea;
      var ctx = chart.ctx;
      if (!area || !opts) return;
      ctx.save();
      ctx.beginPath();
      ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
      ctx.clip();
      (opts.bands || []).forEach(function (band) {
        var vertical = band.axis !== 'y';
        var scale = vertical ? chart.scales.x : chart.scales.y;
        var a = scale.getPixelForValue(band.from);
        var b = scale.getPixelForValue(band.to);
        var lo = Math.min(a, b);
        var size = Math.max(2, Math.abs(b - a));
        ctx.fillStyle = band.color;
        if (vertical) ctx.fillRect(lo, area.top, size, area.bottom - area.top);
        else ctx.fillRect(area.left, lo, area.right - area.left, size);
        if (band.outline) {
          ctx.strokeStyle = band.outline;
          ctx.lineWidth = 1;
          ctx.setLineDash([4, 3]);
          ctx.beginPath();
          if (vertical) {
            ctx.moveTo(lo + 0.5, area.top);
            ctx.lineTo(lo + 0.5, area.bottom);
            ctx.moveTo(lo + size - 0.5, area.top);
            ctx.lineTo(lo + size - 0.5, area.bottom);
          } else {
            ctx.moveTo(area.left, lo + 0.5);
            ctx.lineTo(area.right, lo + 0.5);
            ctx.moveTo(area.left, lo + size - 0.5);
            ctx.lineTo(area.right, lo + size - 0.5);
          }
          ctx.stroke();
          ctx.setLineDash([]);
        }
        if (band.label) {
          ctx.font = '600 11px ' + bodyFont;
          ctx.fillStyle = band.textColor || C.ink;
          var textWidth = ctx.measureText(band.label).width;
          if (vertical) {
            var x = Math.min(Math.max(lo + 4, area.left + 4), area.right - textWidth - 4);
            var y = band.labelAt === 'bottom' ? area.bottom - 8 : area.top + 14;
            ctx.fillText(band.label, x, y);
          } else {
            ctx.fillText(band.label, area.left + 6, lo + 13);
          }
        }
      });
      (opts.lines || []).forEach(function (line) {
        var vertical = line.axis !== 'y';
        var scale = vertical ? chart.scales.x : chart.scales.y;
        var p = scale.getPixelForValue(line.at);
        ctx.strokeStyle = line.color;
        ctx.lineWidth = line.width || 1.5;
        ctx.setLineDash(line.dash || []);
        ctx.beginPath();
        if (vertical) {
          ctx.moveTo(p, area.top);
          ctx.lineTo(p, area.bottom);
        } else {
          ctx.moveTo(area.left, p);
          ctx.lineTo(area.right, p);
        }
        ctx.stroke();
        ctx.setLineDash([]);
        if (line.label) {
          ctx.font = '11px ' + bodyFont;
          ctx.fillStyle = line.color;
          var w = ctx.measureText(line.label).width;
          if (vertical) ctx.fillText(line.label, Math.min(p + 4, area.right - w - 4), area.top + 28);
          else ctx.fillText(line.label, area.right - w - 6, p - 5);
        }
      });
      ctx.restore();
    },
  };

  // Vertical error bars with caps for datasets marked `errorBars: true` whose points carry lo / hi,
  // drawn just before their points so the points sit on top.
  var errorBarsPlugin = {
    id: 'ssErrorBars',
    beforeDatasetDraw: function (chart, args) {
      var ds = chart.data.datasets[args.index];
      if (!ds || !ds.errorBars) return;
      var meta = args.meta;
      var y = chart.scales[meta.yAxisID || 'y'];
      var ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = ds.errorBarColor || ds.borderColor || C.ink;
      ctx.lineWidth = 1.5;
      meta.data.forEach(function (el, i) {
        var d = ds.data[i];
        if (!d || d.lo === null || d.lo === undefined || d.hi === null || d.hi === undefined) return;
        var top = y.getPixelForValue(d.hi);
        var bottom = y.getPixelForValue(d.lo);
        ctx.beginPath();
        ctx.moveTo(el.x, top);
        ctx.lineTo(el.x, bottom);
        ctx.moveTo(el.x - 4, top);
        ctx.lineTo(el.x + 4, top);
        ctx.moveTo(el.x - 4, bottom);
        ctx.lineTo(el.x + 4, bottom);
        ctx.stroke();
      });
      ctx.restore();
    },
  };

  // A white background, so a downloaded PNG is not transparent.
  var backgroundPlugin = {
    id: 'ssBackground',
    beforeDraw: function (chart) {
      var ctx = chart.ctx;
      ctx.save();
      ctx.globalCompositeOperation = 'destination-over';
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    },
  };

  Chart.register(bandsPlugin, errorBarsPlugin, backgroundPlugin);

  function readData(canvas) {
    var el = document.getElementById(canvas.id + '-data');
    return el ? JSON.parse(el.textContent || 'null') : null;
  }

  function axis(title, extra) {
    var a = { type: 'linear', title: { display: true, text: title }, grid: { color: '#eef1f4' } };
    for (var k in extra || {}) a[k] = extra[k];
    return a;
  }

  function niceMax(values) {
    var max = Math.max.apply(null, values);
    if (!isFinite(max)) return undefined;
    var step = max <= 10 ? 1 : max <= 50 ? 5 : 10;
    return Math.ceil((max * 1.03) / step) * step;
  }

  function minGap(xs) {
    var sorted = xs.slice().sort(function (a, b) { return a - b; });
    var gap = Infinity;
    for (var i = 1; i < sorted.length; i++) if (sorted[i] > sorted[i - 1]) gap = Math.min(gap, sorted[i] - sorted[i - 1]);
    return isFinite(gap) ? gap : 1;
  }

  var builders = {
    quality: function (d) {
      var xs = d.means.map(function (m) { return m.x; });
      var jitter = minGap(xs) * 0.3;
      var datasets = [];
      if (d.points.length > 0) {
        datasets.push({
          label: 'Runs' + (d.points.length >= 2000 ? ' (sample)' : ''),
          data: d.points.map(function (p, i) {
            return { x: p[0] + (noise(i) - 0.5) * 2 * jitter, y: p[1] + (noise(i + 7919) - 0.5) * 0.08 };
          }),
          // Fainter as the cloud gets denser, so a few runs stay visible and thousands stay calm.
          backgroundColor: alpha(C.grey, d.points.length < 100 ? 0.55 : d.points.length < 600 ? 0.32 : 0.2),
          borderWidth: 0,
          pointRadius: d.points.length < 100 ? 2.5 : 2,
          pointHoverRadius: 3,
          order: 5,
        });
      }
      // Below the lowest tested step the curve is an extrapolation: drawn dashed, not solid.
      var lowest = Math.min.apply(null, xs);
      var below = d.curve.filter(function (c) { return c.x <= lowest; });
      if (below.length > 1) {
        datasets.push({
          label: 'Fitted curve below the tested steps (extrapolated)',
          data: below,
          showLine: true,
          borderColor: C.blue,
          backgroundColor: C.blue,
          borderWidth: 1.5,
          borderDash: [6, 4],
          pointRadius: 0,
          pointHoverRadius: 0,
          tension: 0,
          order: 2,
        });
      }
      if (d.curve.length > 0) {
        datasets.push({
          label: d.curveLabel || 'Fitted curve',
          data: d.curve.filter(function (c) { return c.x >= lowest; }),
          showLine: true,
          borderColor: C.blue,
          backgroundColor: C.blue,
          borderWidth: 2.5,
          pointRadius: 0,
          pointHoverRadius: 0,
          tension: 0,
          order: 2,
        });
      }
      datasets.push({
        label: 'Mean per level (90% interval)',
        data: d.means,
        backgroundColor: C.ink,
        borderColor: C.ink,
        errorBars: true,
        pointRadius: 4,
        pointHoverRadius: 6,
        order: 1,
      });
      if (d.sweetSpot) {
        datasets.push({
          label: d.sweetSpot.label,
          data: [{ x: d.sweetSpot.x, y: d.sweetSpot.y }],
          backgroundColor: C.vermillion,
          borderColor: '#ffffff',
          borderWidth: 2,
          pointStyle: 'rectRot',
          pointRadius: 9,
          pointHoverRadius: 10,
          order: 0,
        });
      }
      var bands = [];
      if (d.guide) {
        // The guide's range is an outline only and the interval a fill: where they overlap both stay readable.
        bands.push({ from: d.guide.lo, to: d.guide.hi, color: 'rgba(0,0,0,0)', outline: C.green, label: d.guide.label, labelAt: 'top', textColor: '#00664a' });
      }
      if (d.sweetSpot && d.sweetSpot.lo !== null && d.sweetSpot.hi !== null) {
        var range = d.sweetSpot.lo === d.sweetSpot.hi ? String(d.sweetSpot.lo) : d.sweetSpot.lo + '–' + d.sweetSpot.hi;
        bands.push({ from: d.sweetSpot.lo, to: d.sweetSpot.hi, color: alpha(C.vermillion, 0.18), label: '90% interval ' + range, labelAt: 'bottom', textColor: '#9a3f00' });
      }
      var allX = xs.concat(d.curve.map(function (c) { return c.x; }));
      if (d.guide) allX.push(d.guide.hi);
      return {
        type: 'scatter',
        data: { datasets: datasets },
        options: {
          scales: {
            x: axis('Steps', { min: 0, max: niceMax(allX) }),
            y: axis(d.yLabel, Object.assign({
              suggestedMin: Math.min.apply(null, d.means.map(function (m) { return m.lo === null ? m.y : m.lo; })),
              suggestedMax: Math.max.apply(null, d.means.map(function (m) { return m.hi === null ? m.y : m.hi; })),
            }, d.yMax !== null && d.yMax !== undefined ? { max: d.yMax } : {})),
          },
          plugins: {
            legend: { position: 'bottom' },
            ssBands: { bands: bands },
            tooltip: {
              callbacks: {
                label: function (ctx) {
                  var p = ctx.raw;
                  if (p.n !== undefined) {
                    return p.x + ' steps: mean ' + fmt(p.y) + (p.lo !== null ? ' (90% ' + fmt(p.lo) + '–' + fmt(p.hi) + ')' : '') + ', ' + p.n + ' runs';
                  }
                  return ctx.dataset.label + ': ' + fmt(p.y) + ' at ' + Math.round(p.x) + ' steps';
                },
              },
            },
          },
        },
      };
    },

    duration: function (d) {
      var datasets = [];
      d.series.forEach(function (s, i) {
        var color = SERIES[i % SERIES.length];
        datasets.push({
          label: s.label + ' (measured)',
          data: s.points,
          backgroundColor: color,
          borderColor: color,
          pointStyle: SHAPES[i % SHAPES.length],
          pointRadius: 4.5,
          order: 1,
          inLegend: s.line.length === 0,
        });
        if (s.line.length > 0) {
          datasets.push({
            label: s.label,
            inLegend: true,
            data: s.line,
            showLine: true,
            borderColor: color,
            backgroundColor: color,
            borderDash: DASHES[i % DASHES.length],
            borderWidth: 2,
            pointRadius: 0,
            pointHoverRadius: 0,
            order: 2,
          });
        }
      });
      return {
        type: 'scatter',
        data: { datasets: datasets },
        options: {
          scales: { x: axis('Steps', { min: 0 }), y: axis('Seconds per render', { min: 0 }) },
          plugins: {
            legend: { position: 'bottom', labels: { filter: function (item, data) { return data.datasets[item.datasetIndex].inLegend; } } },
            tooltip: {
              callbacks: {
                label: function (ctx) {
                  return ctx.dataset.label.replace(/ \(measured\)$/, '') + ': ' + seconds(ctx.raw.y) + ' at ' + Math.round(ctx.raw.x) + ' steps';
                },
              },
            },
          },
        },
      };
    },

    marginal: function (d) {
      var lines = [{ axis: 'y', at: d.threshold, color: C.grey, dash: [5, 4], label: 'threshold ' + fmt(d.threshold, 3) + ' per step' }];
      if (d.sweetSpot !== null) lines.push({ at: d.sweetSpot, color: C.vermillion, dash: [], label: 'sweet spot ' + d.sweetSpot });
      return {
        type: 'scatter',
        data: {
          datasets: [
            {
              label: 'Gain from one more step',
              data: d.points,
              showLine: true,
              borderColor: C.blue,
              backgroundColor: alpha(C.blue, 0.12),
              fill: 'origin',
              borderWidth: 2,
              pointRadius: 0,
            },
          ],
        },
        options: {
          scales: { x: axis('Steps', { min: 0 }), y: axis(d.yLabel, { min: 0 }) },
          plugins: {
            legend: { display: false },
            ssBands: { lines: lines },
            tooltip: { callbacks: { label: function (ctx) { return Math.round(ctx.raw.x) + ' → ' + (Math.round(ctx.raw.x) + 1) + ' steps: +' + fmt(ctx.raw.y, 3); } } },
          },
        },
      };
    },

    // Quality reached against the minutes a batch takes: each point is a step count.
    batch: function (d) {
      var datasets = [
        { label: 'Fitted', data: d.curve, showLine: true, borderColor: C.green, backgroundColor: C.green, borderWidth: 2, pointRadius: 0, order: 2 },
        { label: 'Tested step counts', data: d.points, backgroundColor: C.ink, borderColor: C.ink, pointRadius: 3.5, order: 1 },
      ];
      if (d.sweetSpot) {
        datasets.push({ label: 'Sweet spot ' + d.sweetSpot.steps + ' steps', data: [d.sweetSpot], backgroundColor: C.vermillion, borderColor: '#ffffff', borderWidth: 2, pointStyle: 'rectRot', pointRadius: 8, order: 0 });
      }
      var y = { min: 0 };
      if (d.yMax !== null && d.yMax !== undefined) y.max = d.yMax;
      return {
        type: 'scatter',
        data: { datasets: datasets },
        options: {
          scales: { x: axis(d.xLabel, { min: 0 }), y: axis(d.yLabel, y) },
          plugins: {
            legend: { position: 'bottom' },
            tooltip: { callbacks: { label: function (ctx) { return ctx.raw.steps + ' steps: ' + fmt(ctx.raw.y) + ' in ' + fmt(ctx.raw.x, 1) + ' min'; } } },
          },
        },
      };
    },

    history: function (d) {
      var ys = [];
      d.points.forEach(function (p) { [p.y, p.lo, p.hi].forEach(function (v) { if (v !== null && v !== undefined) ys.push(v); }); });
      if (d.guide) ys.push(d.guide.lo, d.guide.hi);
      var pad = Math.max(1, (Math.max.apply(null, ys) - Math.min.apply(null, ys)) * 0.1);
      var bands = d.guide ? [{ axis: 'y', from: d.guide.lo, to: d.guide.hi, color: alpha(C.green, 0.1), outline: C.green, label: d.guide.label, textColor: '#00664a' }] : [];
      return {
        type: 'line',
        data: {
          labels: d.points.map(function (p) { return p.label; }),
          datasets: [
            {
              label: 'Sweet spot (90% interval)',
              data: d.points.map(function (p) { return { x: p.label, y: p.y, lo: p.lo, hi: p.hi, runs: p.runs }; }),
              borderColor: C.vermillion,
              backgroundColor: C.vermillion,
              errorBars: true,
              pointStyle: 'rectRot',
              pointRadius: 5,
              borderWidth: 2,
            },
          ],
        },
        options: {
          scales: {
            x: { type: 'category', offset: true, grid: { display: false } },
            y: axis('Steps', { min: Math.max(0, Math.floor(Math.min.apply(null, ys) - pad)), max: Math.ceil(Math.max.apply(null, ys) + pad) }),
          },
          plugins: {
            legend: { display: false },
            ssBands: { bands: bands },
            tooltip: { callbacks: { label: function (ctx) { var p = ctx.raw; return p.y + ' steps' + (p.lo !== null && p.hi !== null ? ' (' + p.lo + '–' + p.hi + ')' : '') + ', ' + p.runs + ' runs'; } } },
          },
        },
      };
    },

    curves: function (d, canvas) {
      var byTime = canvas.getAttribute('data-x') === 'time';
      var datasets = [];
      d.models.forEach(function (m, i) {
        if (byTime && !m.hasTime) return;
        var color = SERIES[i % SERIES.length];
        datasets.push({
          label: m.name,
          data: m.curve
            .filter(function (c) { return !byTime || c.t !== null; })
            .map(function (c) { return { x: byTime ? c.t : c.s, y: c.q, s: c.s, t: c.t }; }),
          showLine: true,
          borderColor: color,
          backgroundColor: color,
          borderDash: DASHES[i % DASHES.length],
          borderWidth: 2.5,
          pointRadius: 0,
          pointHoverRadius: 3,
          order: 2,
        });
        if (m.spot) {
          datasets.push({
            label: m.name + ' sweet spot (' + m.spot.s + ')',
            data: [{ x: byTime ? m.spot.t : m.spot.s, y: m.spot.q, s: m.spot.s, t: m.spot.t }].filter(function (p) { return p.x !== null; }),
            backgroundColor: color,
            borderColor: '#ffffff',
            borderWidth: 1.5,
            pointStyle: SHAPES[i % SHAPES.length],
            pointRadius: 7,
            order: 1,
          });
        }
      });
      return {
        type: 'scatter',
        data: { datasets: datasets },
        options: {
          scales: {
            x: axis(byTime ? 'Predicted seconds per render' : 'Steps', { min: 0 }),
            y: axis('Fitted score (0–10)'),
          },
          plugins: {
            legend: { position: 'bottom', labels: { filter: function (item) { return !/sweet spot/.test(item.text); } } },
            tooltip: {
              callbacks: {
                label: function (ctx) {
                  var p = ctx.raw;
                  return ctx.dataset.label.replace(/ sweet spot.*/, '') + ': ' + fmt(p.y) + ' at ' + p.s + ' steps' + (p.t !== null && p.t !== undefined ? ', ' + seconds(p.t) : '');
                },
              },
            },
          },
        },
      };
    },

    pareto: function (d) {
      var datasets = [
        {
          label: 'Pareto front',
          data: d.front.map(function (p) { return { x: p.t, y: p.q, s: p.s, name: p.name }; }),
          showLine: true,
          stepped: 'before',
          borderColor: C.ink,
          backgroundColor: C.ink,
          borderWidth: 3,
          // A marker where the front passes to another model (and at its ends), not on every step.
          pointRadius: d.front.map(function (p, i) {
            return i === 0 || i === d.front.length - 1 || d.front[i - 1].name !== p.name ? 4 : 0;
          }),
          pointHoverRadius: 5,
          order: 1,
        },
      ];
      d.models.forEach(function (m, i) {
        var color = SERIES[i % SERIES.length];
        datasets.push({
          label: m.name,
          data: m.points.map(function (p) { return { x: p.t, y: p.q, s: p.s, name: m.name }; }),
          showLine: true,
          borderColor: alpha(color, 0.75),
          backgroundColor: color,
          borderDash: DASHES[i % DASHES.length],
          borderWidth: 1.5,
          pointRadius: 0,
          pointHoverRadius: 3,
          order: 2,
        });
      });
      return {
        type: 'scatter',
        data: { datasets: datasets },
        options: {
          scales: { x: axis('Predicted seconds per render', { min: 0 }), y: axis('Fitted score (0–10)') },
          plugins: {
            legend: { position: 'bottom' },
            tooltip: { callbacks: { label: function (ctx) { var p = ctx.raw; return p.name + ' at ' + p.s + ' steps: ' + fmt(p.y) + ' in ' + seconds(p.x); } } },
          },
        },
      };
    },
  };

  function draw(canvas) {
    var kind = canvas.getAttribute('data-chart');
    var data = readData(canvas);
    if (!builders[kind] || !data) return null;
    var existing = Chart.getChart(canvas);
    if (existing) existing.destroy();
    return new Chart(canvas, builders[kind](data, canvas));
  }

  var canvases = document.querySelectorAll('canvas[data-chart]');
  for (var i = 0; i < canvases.length; i++) draw(canvases[i]);

  // "Download PNG" under each chart.
  var stem = (document.body.getAttribute('data-page') || document.title.split('·')[0] || 'chart')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  document.querySelectorAll('[data-download]').forEach(function (button) {
    var id = button.getAttribute('data-download');
    if (!Chart.getChart(id)) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var chart = Chart.getChart(id);
      if (!chart) return;
      var link = document.createElement('a');
      link.href = chart.toBase64Image('image/png', 1);
      link.download = (stem ? stem + '-' : '') + chart.canvas.id.replace(/^chart-/, '') + '.png';
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  });

  // Compare page: steps or predicted time on x, without a reload (the form keeps it in the URL).
  document.querySelectorAll('input[name="x"][data-switch]').forEach(function (input) {
    input.addEventListener('change', function () {
      var canvas = document.getElementById(input.getAttribute('data-switch'));
      if (!canvas || !input.checked) return;
      canvas.setAttribute('data-x', input.value);
      draw(canvas);
      var url = new URL(window.location.href);
      url.searchParams.set('x', input.value);
      window.history.replaceState(null, '', url);
    });
  });

  // Filter forms leave their blank fields out of the URL, so a shared link shows only what was chosen.
  document.querySelectorAll('form[data-compact]').forEach(function (form) {
    form.addEventListener('submit', function () {
      form.querySelectorAll('input[name], select[name]').forEach(function (field) {
        if (field.value === '') field.disabled = true;
      });
    });
  });
  window.addEventListener('pageshow', function () {
    document.querySelectorAll('form[data-compact] [disabled]').forEach(function (field) { field.disabled = false; });
  });

  // Printing: redraw at the paper's width, then back.
  function resizeAll() {
    Object.values(Chart.instances).forEach(function (c) { c.resize(); });
  }
  window.addEventListener('beforeprint', resizeAll);
  window.addEventListener('afterprint', resizeAll);
})();
