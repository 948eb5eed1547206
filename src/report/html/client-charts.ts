/**
 * Client charts: latency CDF (log axis when targets differ by more than 10×), accuracy/latency/cost view
 * with labelled points, TTFT histogram, answer and reasoning throughput and 429s over time (Chart.js,
 * no animation). Drawn labels are also listed in the canvas's data-labels attribute, for tests.
 * Browser-side ES2020 in a raw string, concatenated into one IIFE by client-script.ts: no backticks,
 * no template placeholders, and data only ever reaches the page through textContent.
 */
export const CLIENT_CHARTS = String.raw`
  // ---- charts ----------------------------------------------------------------------------------
  var charts = {};
  window.__reportCharts = charts;

  function chartCard(id, title, note, build) {
    var box = el('div', { className: 'chart-box' });
    var card = el('div', { className: 'card chart-card', 'data-chart': id }, [el('h3', { text: title }), box, note ? el('div', { className: 'note', text: note }) : null]);
    document.getElementById('charts').appendChild(card);
    var config = build();
    if (!config) {
      card.setAttribute('data-empty', 'true');
      box.replaceWith(el('div', { className: 'chart-empty', text: 'No data for this chart in this run.' }));
      return;
    }
    var canvas = el('canvas', { id: 'chart-' + id, role: 'img', 'aria-label': title });
    box.appendChild(canvas);
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    charts[id] = new Chart(canvas, config);
  }

  /** Draws each point's name beside it (Chart.js has no built-in data labels). */
  var pointLabels = {
    id: 'pointLabels',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var drawn = [];
      var boxes = [];
      ctx.save();
      ctx.font = '600 12px ' + Chart.defaults.font.family;
      ctx.fillStyle = '#1f2328';
      ctx.textBaseline = 'middle';
      chart.data.datasets.forEach(function (dataset, i) {
        var meta = chart.getDatasetMeta(i);
        if (meta.hidden) return;
        meta.data.forEach(function (point) {
          var radius = point.options && point.options.radius ? point.options.radius : 6;
          var text = dataset.pointLabel || dataset.label;
          var x = point.x + radius + 4;
          var y = point.y;
          var width = ctx.measureText(text).width;
          // Keep the label inside the plot: flip to the left of the point near the right edge.
          if (x + width > chart.chartArea.right) x = point.x - radius - 4 - width;
          // Step down past labels already drawn, so close points stay readable.
          while (boxes.some(function (b) { return x < b.x + b.w && b.x < x + width && Math.abs(b.y - y) < 14; })) y += 14;
          boxes.push({ x: x, y: y, w: width });
          ctx.fillText(text, x, y);
          drawn.push(text);
        });
      });
      ctx.restore();
      chart.canvas.setAttribute('data-labels', JSON.stringify(drawn));
    },
  };

  /** Log scale when the fastest and slowest targets' medians differ by more than 10×. */
  function latencySpread(cdf) {
    var medians = targets.map(function (t) { var pts = cdf[t] || []; return pts.length ? pts[Math.floor(pts.length / 2)][0] : null; })
      .filter(function (v) { return v !== null && v > 0; });
    if (medians.length < 2) return 1;
    return Math.max.apply(null, medians) / Math.min.apply(null, medians);
  }

  function hasAny(record) {
    return Object.keys(record).some(function (k) { return record[k] && record[k].length; });
  }

  function renderCharts() {
    if (typeof Chart === 'undefined') return;
    Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
    Chart.defaults.color = '#374151';
    var series = data.charts;

    var spread = latencySpread(series.latencyCdf);
    var logLatency = spread > 10;
    chartCard('latency-cdf', 'Latency CDF (final attempt, end to end)', logLatency ? 'Log latency axis: the targets\u2019 medians differ ' + Math.round(spread) + '\u00d7.' : null, function () {
      if (!hasAny(series.latencyCdf)) return null;
      return {
        type: 'line',
        data: { datasets: targets.map(function (t, i) {
          return { label: t, data: (series.latencyCdf[t] || []).map(function (p) { return { x: p[0], y: p[1] }; }), borderColor: color(i), backgroundColor: color(i, 0.15), pointRadius: 0, borderWidth: 2, tension: 0 };
        }) },
        options: { parsing: false, scales: {
          x: { type: logLatency ? 'logarithmic' : 'linear', title: { display: true, text: logLatency ? 'latency (ms, log scale)' : 'latency (ms)' } },
          y: { min: 0, max: 1, title: { display: true, text: 'fraction of requests' }, ticks: { callback: function (v) { return Math.round(v * 100) + '%'; } } },
        } },
      };
    });

    chartCard('pareto', 'Accuracy vs p95 latency vs cost', 'Bubble area grows with cost per 1k rows; up and to the left is better.', function () {
      var points = series.pareto.filter(function (p) { return p.accuracy !== null && p.p95Ms !== null; });
      if (!points.length) return null;
      var p95s = points.map(function (p) { return p.p95Ms; }).filter(function (v) { return v > 0; });
      var logP95 = p95s.length > 1 && Math.max.apply(null, p95s) / Math.min.apply(null, p95s) > 10;
      var maxCost = Math.max.apply(null, points.map(function (p) { return p.costPer1k || 0; }).concat([0]));
      return {
        type: 'bubble',
        data: { datasets: points.map(function (p) {
          var i = targets.indexOf(p.target);
          var r = p.costPer1k === null || maxCost === 0 ? 7 : 6 + 18 * Math.sqrt(p.costPer1k / maxCost);
          var priced = p.costPer1k !== null;
          return { label: priced ? p.target : p.target + ' (no price)', pointLabel: p.target, data: [{ x: p.p95Ms, y: p.accuracy * 100, r: r, cost: p.costPer1k }], backgroundColor: color(i, priced ? 0.55 : 0.08), borderColor: color(i), borderDash: priced ? [] : [4, 3], borderWidth: priced ? 1 : 2 };
        }) },
        plugins: [pointLabels],
        options: {
          layout: { padding: { right: 16, top: 8 } },
          scales: { x: logP95 ? { type: 'logarithmic', title: { display: true, text: 'p95 latency (ms, log scale)' } } : { type: 'linear', title: { display: true, text: 'p95 latency (ms)' }, beginAtZero: true, grace: '10%' }, y: { title: { display: true, text: 'accuracy (%)' }, suggestedMin: 0, suggestedMax: 100 } },
          plugins: { tooltip: { callbacks: { label: function (ctx) {
            var raw = ctx.raw;
            return ctx.dataset.label + ': ' + raw.y.toFixed(1) + '%, p95 ' + formatMs(raw.x) + (raw.cost === null ? '' : ', $' + raw.cost.toPrecision(3) + ' / 1k rows');
          } } } },
        },
      };
    });

    chartCard('ttft-histogram', 'Time to first token', 'The last bin also counts values above it.', function () {
      var h = series.ttftHistogram;
      if (!h.edgesMs.length || !hasAny(h.counts)) return null;
      var labels = h.edgesMs.slice(0, -1).map(function (lo, i) { return Math.round(lo) + '\u2013' + Math.round(h.edgesMs[i + 1]); });
      return {
        type: 'bar',
        data: { labels: labels, datasets: targets.map(function (t, i) { return { label: t, data: h.counts[t] || [], backgroundColor: color(i, 0.7), borderColor: color(i), borderWidth: 1 }; }) },
        options: { scales: { x: { title: { display: true, text: 'TTFT (ms)' } }, y: { beginAtZero: true, title: { display: true, text: 'requests' } } } },
      };
    });

    var reasoning = (series.timeline && series.timeline.reasoningTokensPerSec) || {};
    var anyReasoning = targets.some(function (t) { return (reasoning[t] || []).some(function (v) { return v > 0; }); });
    chartCard('timeline', 'Throughput and 429s over time', anyReasoning ? 'Solid: answer tokens/s; dashed: hidden reasoning tokens/s.' : null, function () {
      var tl = series.timeline;
      if (!tl || !tl.startsMs.length) return null;
      var labels = tl.startsMs.map(function (ms) { return (ms / 1000).toFixed(0) + 's'; });
      var lines = [];
      targets.forEach(function (t, i) {
        var output = tl.outputTokensPerSec[t] || [];
        var thinking = reasoning[t] || [];
        var hasThinking = thinking.some(function (v) { return v > 0; });
        var answer = output.map(function (v, k) { return Math.max(0, v - (thinking[k] || 0)); });
        lines.push({ type: 'line', label: t + (anyReasoning ? ' answer tok/s' : ' output tok/s'), data: answer, borderColor: color(i), backgroundColor: color(i, 0.1), pointRadius: 0, borderWidth: 2, yAxisID: 'y' });
        if (hasThinking) lines.push({ type: 'line', label: t + ' reasoning tok/s', data: thinking, borderColor: color(i), borderDash: [6, 4], backgroundColor: color(i, 0.05), pointRadius: 0, borderWidth: 2, yAxisID: 'y' });
      });
      var bars = targets.map(function (t, i) {
        return { type: 'bar', label: t + ' 429s', data: tl.throttled[t] || [], backgroundColor: color(i, 0.35), yAxisID: 'y1' };
      });
      return {
        type: 'line',
        data: { labels: labels, datasets: lines.concat(bars) },
        options: { interaction: { mode: 'index', intersect: false }, scales: {
          y: { beginAtZero: true, position: 'left', title: { display: true, text: 'output tokens / s' } },
          y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: '429 responses' }, ticks: { precision: 0 } },
        } },
      };
    });
  }

`;
