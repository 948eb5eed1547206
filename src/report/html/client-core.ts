/**
 * Client helpers: the data block, element builder (text only, never HTML), colours, the page header.
 * Browser-side ES2020 in a raw string, concatenated into one IIFE by client-script.ts: no backticks,
 * no template placeholders, and data only ever reaches the page through textContent.
 */
export const CLIENT_CORE = String.raw`
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var meta = data.meta;
  var targets = meta.targets;
  var PALETTE = ['#2457c5', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#0b7285', '#5c940d', '#e67700', '#364fc7', '#a61e4d'];
  var PREVIEW_CHARS = 160;
  var PAGE_ROWS = 200;

  function color(i, alpha) {
    var hex = PALETTE[i % PALETTE.length];
    if (alpha === undefined) return hex;
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + alpha + ')';
  }

  /** Creates an element; children are nodes or strings (set as text, never parsed as HTML). */
  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        var value = props[key];
        if (value === null || value === undefined || value === false) return;
        if (key === 'text') node.textContent = String(value);
        else if (key === 'className') node.className = value;
        else if (key === 'onclick') node.addEventListener('click', value);
        else node.setAttribute(key, String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function formatMs(v) {
    if (v === null || v === undefined || !isFinite(v)) return '\u2014';
    if (v >= 10000) return (v / 1000).toFixed(1) + ' s';
    if (v >= 1000) return (v / 1000).toFixed(2) + ' s';
    if (v >= 10) return v.toFixed(0) + ' ms';
    return v.toFixed(2) + ' ms';
  }

  // ---- header ----------------------------------------------------------------------------------
  function renderHeader() {
    document.title = 'batchbench report \u2014 ' + (meta.runId || 'run');
    var facts = document.getElementById('facts');
    [
      meta.runId ? 'run ' + meta.runId : null,
      meta.dataset ? 'dataset ' + meta.dataset : null,
      meta.rows + ' rows \u00d7 ' + targets.length + ' targets \u00d7 ' + meta.repeats + (meta.repeats === 1 ? ' repeat' : ' repeats'),
      meta.startedAt ? 'started ' + meta.startedAt : null,
      meta.endReason ? 'ended ' + meta.endReason + (meta.endedAt ? ' at ' + meta.endedAt : '') : 'no run-end record',
      meta.scheduler,
      meta.pass,
      meta.totalCost,
    ].forEach(function (fact) { if (fact) facts.appendChild(el('span', { text: fact })); });
    if (meta.emulator) {
      var banner = document.getElementById('emulator-banner');
      banner.hidden = false;
      banner.textContent = 'Emulator run: every endpoint was the embedded Azure OpenAI emulator, so latencies, rate limits and answers are synthetic.';
    }
    var warnings = document.getElementById('warnings');
    (meta.warnings || []).forEach(function (w) { warnings.appendChild(el('li', { text: w })); });
    warnings.hidden = !(meta.warnings || []).length;
    document.getElementById('methods').textContent = 'Percentiles: ' + meta.methods.percentiles + '. Intervals: ' + meta.methods.intervals + ' (' + meta.methods.bootstrapResamples + ' resamples).';
  }

`;
