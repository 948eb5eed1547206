/**
 * Browser script of a load report.html (ES2020 in a raw string: no backticks, no template placeholders).
 * Data reaches the page only through textContent; Chart.js is inlined by the page.
 */
// biome-ignore lint/complexity/noUselessStringRaw: raw, so a regex or escape added to the browser code later reaches the page as written
export const LOAD_CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var PALETTE = ['#2457c5', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#0b7285'];
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) { if (k === 'text') node.textContent = String(props[k]); else if (k === 'className') node.className = props[k]; else node.setAttribute(k, String(props[k])); });
    (children || []).forEach(function (c) { if (c !== null && c !== undefined) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function num(v, d) { return v === null || v === undefined ? '—' : Number(v).toFixed(d === undefined ? 2 : d); }
  function ms(v) { return v === null || v === undefined ? '—' : (v >= 1000 ? (v / 1000).toFixed(2) + ' s' : Number(v).toFixed(v >= 10 ? 0 : 2) + ' ms'); }
  document.getElementById('facts').appendChild(el('span', { text: 'run ' + data.runId + ' · profile ' + data.profile }));
  if (data.emulator) { var b = document.getElementById('emulator-banner'); b.hidden = false; b.textContent = 'Emulator run: every endpoint is the embedded Azure OpenAI emulator; latencies are simulated.'; }
  var method = document.getElementById('method');
  data.method.forEach(function (line) { method.appendChild(el('li', { text: line })); });
  var tables = document.getElementById('targets');
  var HEAD = ['#', 'step', 'offered', 'achieved', 'jitter p99', 'ok / sent', '429 quota / capacity', 'errors', 'TTFT p50 / p90 / p95 / p99', 'e2e p50 / p99', 'ITL p50', 'TPOT p50', 'out tok/s', 'req/min', 'tok/min', 'SLO', 'PTU util', 'client', 'server rate'];
  data.targets.forEach(function (t) {
    var card = el('div', { className: 'card' });
    card.appendChild(el('h3', { text: t.name }));
    card.appendChild(el('p', { text: 'floor ' + num(t.floor) + ' req/s · saturation ' + num(t.saturation) + ' req/s · goodput ' + (t.goodput ? num(t.goodput.rate) + ' req/s offered, ' + num(t.goodput.goodputRps) + ' good req/s, ' + num(t.goodput.tokensPerMin, 0) + ' tokens/min' : '—') }));
    var table = el('table', { className: 'load-steps' });
    table.appendChild(el('tr', null, HEAD.map(function (h) { return el('th', { text: h }); })));
    t.steps.forEach(function (s) {
      var cells = s.skipped ? [s.step, s.label, num(s.offered), 'skipped: ' + s.skipped] : [
        s.step, s.label + (s.role === 'saturation' ? ' (saturation)' : s.role === 'warmup' ? ' (warm-up)' : ''), num(s.offered),
        num(s.achieved) + (s.rateError === null ? '' : ' (' + (s.rateError * 100).toFixed(2) + '%)'), ms(s.jitterP99), s.ok + ' / ' + s.requests,
        s.quota429 + ' / ' + s.capacity429, s.otherErrors, s.ttft.map(ms).join(' / '), ms(s.e2e[0]) + ' / ' + ms(s.e2e[3]), ms(s.itlP50), ms(s.tpotP50),
        num(s.outputTokensPerSec, 1), num(s.requestsPerMin, 1), num(s.tokensPerMin, 0), s.slo ? (s.slo.meets ? 'met' : 'missed') + ' (' + (s.slo.attainment * 100).toFixed(1) + '%)' : '—',
        s.utilizationMax === null ? '—' : num(s.utilizationMax, 1) + '%', s.clientBound ? 'client-bound (lag p99 ' + ms(s.lagP99) + ')' : 'ok', num(s.serverRate)];
      var row = el('tr', { className: s.clientBound ? 'client-bound' : '' }, cells.map(function (c) { return el('td', { text: c }); }));
      if (t.goodput && t.goodput.step === s.step) row.className += ' goodput';
      table.appendChild(row);
    });
    card.appendChild(el('div', { className: 'table-wrap' }, [table]));
    tables.appendChild(card);
  });
  if (typeof Chart === 'undefined') return;
  var charts = document.getElementById('charts');
  function canvas(title) { var c = el('canvas'); charts.appendChild(el('div', { className: 'card chart' }, [el('h3', { text: title }), c])); return c; }
  var sets = [];
  data.targets.forEach(function (t, i) {
    var pts = t.steps.filter(function (s) { return !s.skipped && s.role !== 'warmup' && s.e2e[0] !== null; }).sort(function (a, b) { return a.throughput - b.throughput; });
    [['TTFT p50', 'ttft', 0, []], ['TTFT p99', 'ttft', 3, [6, 3]], ['e2e p50', 'e2e', 0, [2, 2]], ['e2e p99', 'e2e', 3, [10, 4]]].forEach(function (m) {
      sets.push({ label: t.name + ' ' + m[0], data: pts.map(function (s) { return { x: s.throughput, y: s[m[1]][m[2]] }; }), borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], borderDash: m[3], showLine: true });
    });
    var g = t.goodput && t.steps.filter(function (s) { return s.step === t.goodput.step; })[0];
    if (g) sets.push({ label: t.name + ' goodput point', data: [{ x: g.throughput, y: g.e2e[3] }], pointStyle: 'star', pointRadius: 12, borderColor: '#000', backgroundColor: '#ffd43b' });
    if (t.saturation !== null) sets.push({ label: t.name + ' saturation', data: [{ x: t.saturation, y: 0 }], pointStyle: 'triangle', pointRadius: 10, borderColor: PALETTE[i % PALETTE.length], backgroundColor: '#fff' });
  });
  new Chart(canvas('Latency vs throughput (all targets, same axes)'), { type: 'scatter', data: { datasets: sets }, options: { animation: false, scales: { x: { title: { display: true, text: 'throughput (successful req/s)' } }, y: { title: { display: true, text: 'latency (ms)' } } } } });
  data.targets.forEach(function (t, i) {
    t.steps.forEach(function (s) {
      if (!s.histogram) return;
      var h = s.histogram;
      new Chart(canvas('TTFT histogram · ' + t.name + ' · step ' + s.step + ' (' + s.label + ')'), { type: 'bar', data: { labels: h.counts.map(function (_, k) { return Math.round(h.start + k * h.binMs); }), datasets: [{ label: 'requests', data: h.counts, backgroundColor: PALETTE[i % PALETTE.length] }] }, options: { animation: false, plugins: { legend: { display: false } }, scales: { x: { title: { display: true, text: 'TTFT (ms, bin start)' } } } } });
    });
  });
})();
`;
