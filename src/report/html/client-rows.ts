/**
 * Client row explorer: side-by-side outputs per target, filters (disagree, request errors / failed
 * scoring, text search), sortable columns, paging, expanders, and a drill-down per row (every scorer's
 * result and note, finish reason, the chat conversation).
 * Browser-side ES2020 in a raw string, concatenated into one IIFE by client-script.ts: no backticks,
 * no template placeholders, and data only ever reaches the page through textContent.
 */
export const CLIENT_ROWS = String.raw`
  // ---- row explorer ----------------------------------------------------------------------------
  function textBlock(text, fullChars) {
    var wrap = el('div');
    var body = el('div', { className: 'text' });
    wrap.appendChild(body);
    var cut = fullChars > text.length;
    if (text.length <= PREVIEW_CHARS) {
      body.textContent = text;
    } else {
      body.textContent = text.slice(0, PREVIEW_CHARS) + '\u2026';
      var open = false;
      var button = el('button', { className: 'expander', type: 'button', text: 'Show all ' + text.length + ' characters' });
      button.addEventListener('click', function () {
        open = !open;
        body.textContent = open ? text : text.slice(0, PREVIEW_CHARS) + '\u2026';
        button.textContent = open ? 'Show less' : 'Show all ' + text.length + ' characters';
      });
      wrap.appendChild(button);
    }
    if (cut) wrap.appendChild(el('div', { className: 'note', text: 'Cut at ' + text.length + ' of ' + fullChars + ' characters; the full text is in results.csv.' }));
    return wrap;
  }

  function outputCell(cell) {
    if (!cell) return el('td', { className: 'none', text: '\u2014' });
    var status = cell[0], output = cell[1], fullChars = cell[2], passed = cell[3], score = cell[4], latency = cell[5], error = cell[7], cached = cell[8], attempts = cell[9];
    var badge = status === 'failed' ? el('span', { className: 'badge error', text: 'error' })
      : passed === true ? el('span', { className: 'badge pass', text: 'pass' })
      : passed === false ? el('span', { className: 'badge fail', text: 'fail' })
      : el('span', { className: 'badge none', text: 'unscored' });
    var metaBits = [badge];
    if (score !== null) metaBits.push(el('span', { text: 'score ' + score.toFixed(2) }));
    if (cached) metaBits.push(el('span', { text: 'cached' }));
    if (attempts > 1) metaBits.push(el('span', { text: attempts + ' attempts' }));
    var td = el('td', { className: 'cell-' + status }, [el('div', { className: 'cell-meta' }, metaBits)]);
    td.appendChild(status === 'failed' ? el('div', { className: 'text', text: error || 'failed' }) : textBlock(output, fullChars));
    return td;
  }

  function prepareRows() {
    return data.rowSample.items.map(function (item) {
      var cells = item[7];
      var verdicts = {};
      var failed = false;
      var wrong = false;
      var hay = [item[0], item[3], item[5] || '', item[8] || ''];
      cells.forEach(function (c) {
        if (!c) return;
        if (c[0] === 'failed') failed = true;
        if (c[3] === false) wrong = true;
        if (c[3] !== null) verdicts[String(c[3])] = true;
        hay.push(c[1], c[7] || '');
      });
      return { item: item, failed: failed, wrong: wrong, disagree: failed || Object.keys(verdicts).length > 1, hay: hay.join('\n').toLowerCase() };
    });
  }

  /** Which rows the "Failures" filter keeps: request errors, wrong answers (failed scoring), or either. */
  function failureMatch(r, mode) {
    if (mode === 'errors') return r.failed;
    if (mode === 'wrong') return r.wrong;
    if (mode === 'any') return r.failed || r.wrong;
    return true;
  }

  function factList(pairs) {
    var dl = el('dl', { className: 'facts-list' });
    pairs.forEach(function (p) { if (p[1] !== null && p[1] !== undefined && p[1] !== '') { dl.appendChild(el('dt', { text: p[0] })); dl.appendChild(el('dd', { text: String(p[1]) })); } });
    return dl;
  }

  /** Everything known about one row: the conversation, then each target's verdicts, notes and answer. */
  function drillDown(item) {
    var box = el('div', { className: 'drill' });
    if (item[8]) box.appendChild(el('p', { className: 'note', text: 'Description: ' + item[8] }));
    if (item[9]) {
      box.appendChild(el('h4', { text: 'Conversation' }));
      box.appendChild(el('ol', { className: 'conversation' }, item[9].map(function (m) {
        return el('li', { className: 'msg role-' + m[0] }, [el('span', { className: 'role', text: m[0] }), el('div', { className: 'text', text: m[1] })]);
      })));
    }
    var grid = el('div', { className: 'drill-targets' });
    item[7].forEach(function (cell, i) {
      var card = el('div', { className: 'drill-target', 'data-target': targets[i] }, [el('h4', { text: targets[i] })]);
      if (!cell) { card.appendChild(el('p', { className: 'note', text: 'No result in this run.' })); grid.appendChild(card); return; }
      card.appendChild(factList([
        ['Status', cell[0] === 'failed' ? 'request failed' : cell[3] === true ? 'pass' : cell[3] === false ? 'fail (wrong answer)' : 'unscored'],
        ['Finish reason', cell[10] === null ? (cell[0] === 'failed' ? null : 'none reported') : cell[10]],
        ['Attempts', cell[9]], ['Cached', cell[8] ? 'yes' : null], ['Latency', cell[5] === null ? null : formatMs(cell[5])], ['TTFT', cell[6] === null ? null : formatMs(cell[6])],
      ]));
      if (cell[7]) card.appendChild(el('div', { className: 'text error-text', text: cell[7] }));
      if (cell[11].length) {
        card.appendChild(el('table', { className: 'scores' }, [
          el('thead', null, [el('tr', null, [el('th', { text: 'Scorer' }), el('th', { className: 'num', text: 'Value' }), el('th', { text: 'Verdict' }), el('th', { text: 'Reason / rationale' })])]),
          el('tbody', null, cell[11].map(function (s) {
            var verdict = s[2] === true ? 'pass' : s[2] === false ? 'fail' : 'error';
            return el('tr', { 'data-scorer': s[0] }, [
              el('td', { text: s[0] }), el('td', { className: 'num', text: s[1] === null ? '\u2014' : s[1].toFixed(3) }),
              el('td', null, [el('span', { className: 'badge ' + verdict, text: verdict })]),
              el('td', { className: 'text', text: s[3] === null ? '' : s[3] }),
            ]);
          })),
        ]));
      }
      if (cell[0] === 'ok') card.appendChild(el('div', { className: 'text answer', text: cell[1] }));
      grid.appendChild(card);
    });
    box.appendChild(grid);
    return box;
  }

  function renderRows() {
    var rows = prepareRows();
    var table = document.getElementById('rows-table');
    var thead = el('thead');
    var tbody = el('tbody');
    table.appendChild(thead);
    table.appendChild(tbody);
    var search = document.getElementById('filter-search');
    var disagree = document.getElementById('filter-disagree');
    var failures = document.getElementById('filter-failures');
    var count = document.getElementById('rows-count');
    var more = document.getElementById('rows-more');
    var sortState = { key: 'row', dir: 1 };
    var opened = {};
    var limit = PAGE_ROWS;

    var sorters = { row: function (r) { return r.item[1] * 1e6 + r.item[2]; } };
    targets.forEach(function (t, i) {
      sorters['score:' + i] = function (r) { var c = r.item[7][i]; return c && c[0] === 'ok' && c[4] !== null ? c[4] : null; };
      sorters['latency:' + i] = function (r) { var c = r.item[7][i]; return c ? c[5] : null; };
    });

    var headers = [['row', 'Row', true], [null, 'Prompt'], [null, 'Expected']];
    targets.forEach(function (t, i) { headers.push(['score:' + i, t, false]); headers.push(['latency:' + i, 'Latency', true]); });
    var ths = headers.map(function (h) {
      var th = el('th', { className: h[2] ? 'num' : null, scope: 'col', 'data-key': h[0] || null, 'aria-sort': h[0] ? (h[0] === 'row' ? 'ascending' : 'none') : null });
      if (h[0]) th.appendChild(el('button', { className: 'sort', type: 'button', text: h[1], onclick: function () { sortBy(h[0]); } }));
      else th.textContent = h[1];
      return th;
    });
    thead.appendChild(el('tr', null, ths));

    function sortBy(key) {
      sortState.dir = sortState.key === key ? -sortState.dir : 1;
      sortState.key = key;
      ths.forEach(function (th) { if (th.getAttribute('data-key')) th.setAttribute('aria-sort', th.getAttribute('data-key') === key ? (sortState.dir === 1 ? 'ascending' : 'descending') : 'none'); });
      render();
    }

    function visibleRows() {
      var q = search.value.trim().toLowerCase();
      var picked = rows.filter(function (r) {
        if (disagree.checked && !r.disagree) return false;
        if (!failureMatch(r, failures.value)) return false;
        return !q || r.hay.indexOf(q) >= 0;
      });
      var key = sorters[sortState.key];
      var base = sorters.row;
      return picked.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x === null && y !== null) return 1;
        if (y === null && x !== null) return -1;
        var d = x === null ? 0 : sortState.dir * (x - y);
        return d || base(a) - base(b);
      });
    }

    function render() {
      var picked = visibleRows();
      var shown = picked.slice(0, limit);
      var trs = [];
      shown.forEach(function (r) {
        var item = r.item;
        var key = item[0] + '\u0000' + item[2];
        var toggle = el('button', { className: 'drill-toggle', type: 'button', 'aria-expanded': String(Boolean(opened[key])), 'aria-label': 'Details of row ' + item[0], title: 'Every scorer, finish reason and the conversation', text: opened[key] ? '\u25be' : '\u25b8' });
        var tr = el('tr', { className: 'row' + (r.failed ? ' failed' : '') + (r.wrong ? ' wrong' : '') + (r.disagree ? ' disagree' : ''), 'data-row-id': item[0], 'data-row-index': item[1], 'data-repeat': item[2] }, [
          el('td', { className: 'num' }, [toggle, ' ' + item[0] + (meta.repeats > 1 ? ' #' + item[2] : '')]),
          el('td', null, [textBlock(item[3], item[4])]),
          el('td', null, [item[5] === null ? el('span', { className: 'note', text: '\u2014' }) : textBlock(item[5], item[6])]),
        ]);
        item[7].forEach(function (cell) {
          tr.appendChild(outputCell(cell));
          tr.appendChild(el('td', { className: 'num latency', 'data-value': cell && cell[5] !== null ? cell[5] : null, text: cell ? formatMs(cell[5]) : '\u2014' }));
        });
        trs.push(tr);
        if (opened[key]) trs.push(el('tr', { className: 'detail-row', 'data-detail-for': item[0] }, [el('td', { colspan: 3 + 2 * targets.length }, [drillDown(item)])]));
        toggle.addEventListener('click', function () { if (opened[key]) delete opened[key]; else opened[key] = true; render(); });
      });
      tbody.replaceChildren.apply(tbody, trs);
      var unit = meta.repeats > 1 ? ' row \u00d7 repeat cells' : ' rows';
      var sampled = rows.length < data.rowSample.seen ? ' \u00b7 sample of ' + rows.length + ' of ' + data.rowSample.seen + unit + ' (disagreements and failures first)' : '';
      count.textContent = 'Showing ' + shown.length + ' of ' + picked.length + ' matching' + sampled;
      count.setAttribute('data-matching', String(picked.length));
      count.setAttribute('data-shown', String(shown.length));
      more.hidden = shown.length >= picked.length;
    }

    function reset() { limit = PAGE_ROWS; render(); }
    search.addEventListener('input', reset);
    disagree.addEventListener('change', reset);
    failures.addEventListener('change', reset);
    more.querySelector('button').addEventListener('click', function () { limit += PAGE_ROWS; render(); });
    render();
  }

`;
