/**
 * The "vs baseline" section's browser code: a separate IIFE, included only when the report has a
 * baseline comparison (so reports without one stay byte-identical). Builds everything through
 * textContent; ES2020 in a raw string, no backticks or placeholders.
 */
export const CLIENT_BASELINE = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var view = data.baseline;
  var root = document.getElementById('baseline');
  if (!view || !root) return;
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === 'text') node.textContent = String(props[key]);
      else if (key === 'className') node.className = props[key];
      else node.setAttribute(key, String(props[key]));
    });
    (children || []).forEach(function (child) { node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child); });
    return node;
  }
  root.appendChild(el('p', { className: 'baseline-verdict' }, [
    el('span', { className: 'badge ' + (view.regressed ? 'fail' : 'pass'), text: view.regressed ? 'regression' : 'no regression' }),
    ' ' + view.verdict,
  ]));
  var head = el('tr', null, view.columns.map(function (label) { return el('th', { scope: 'col', text: label }); }));
  var body = el('tbody', null, view.rows.map(function (row) {
    return el('tr', { 'data-status': row[1] }, row.map(function (cell, i) {
      var regressed = / \u2717$/.test(cell);
      return el('td', { className: i > 1 ? 'num' + (regressed ? ' regressed' : '') : (i === 1 ? 'status-' + cell : ''), text: cell });
    }));
  }));
  root.appendChild(el('div', { className: 'table-wrap' }, [el('table', { id: 'baseline-table' }, [el('thead', null, [head]), body])]));
  if (view.sentences.length) root.appendChild(el('ul', { id: 'baseline-notes' }, view.sentences.map(function (s) { return el('li', { text: s }); })));
  root.appendChild(el('p', { className: 'note', text: view.limits }));
})();
`;

/** Extra CSS, likewise only present with a comparison. */
export const BASELINE_CSS =
  '#baseline td { white-space: nowrap; } #baseline td.regressed { color: var(--fail); background: var(--fail-bg); } #baseline td.status-regressed { color: var(--fail); font-weight: 600; } #baseline td.status-missing, #baseline td.status-new { color: var(--warn); } #baseline-notes { margin: 10px 0 0; padding-left: 18px; } .baseline-verdict { margin: 0 0 10px; font-weight: 500; }';
