/**
 * Client tables: sortable preformatted tables (overview, details) and the pairwise verdict list.
 * Browser-side ES2020 in a raw string, concatenated into one IIFE by client-script.ts: no backticks,
 * no template placeholders, and data only ever reaches the page through textContent.
 */
// biome-ignore lint/complexity/noUselessStringRaw: raw, so a regex or escape added to the browser code later reaches the page as written
export const CLIENT_TABLES = String.raw`
  // ---- sortable tables -------------------------------------------------------------------------
  function compareCells(a, b, numeric) {
    if (numeric) {
      if (a.sort === null && b.sort === null) return 0;
      if (a.sort === null) return 1;
      if (b.sort === null) return -1;
      return a.sort - b.sort;
    }
    return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  }

  function viewTable(view) {
    var tbody = el('tbody');
    var order = view.rows.slice();
    var state = { column: -1, dir: 1 };
    var headCells = view.columns.map(function (column, index) {
      var th = el('th', { className: column.numeric ? 'num' : null, 'aria-sort': 'none', scope: 'col' }, [
        el('button', { className: 'sort', type: 'button', text: column.label, onclick: function () { sortBy(index); } }),
      ]);
      return th;
    });
    function sortBy(index) {
      state.dir = state.column === index ? -state.dir : 1;
      state.column = index;
      var numeric = view.columns[index].numeric;
      order.sort(function (a, b) { return state.dir * compareCells(a[index], b[index], numeric); });
      headCells.forEach(function (th, i) { th.setAttribute('aria-sort', i === index ? (state.dir === 1 ? 'ascending' : 'descending') : 'none'); });
      fill();
    }
    function fill() {
      tbody.replaceChildren.apply(tbody, order.map(function (row) {
        return el('tr', null, row.map(function (cell, i) { return el('td', { className: view.columns[i].numeric ? 'num' : null, text: cell.text }); }));
      }));
    }
    fill();
    return el('div', { className: 'table-wrap' }, [
      el('table', { id: 'table-' + view.id }, [el('thead', null, [el('tr', null, headCells)]), tbody]),
    ]);
  }

  function renderTables() {
    document.getElementById('overview-table').appendChild(viewTable(data.overview));
    document.getElementById('settings-table').appendChild(viewTable(data.settings));
    var list = document.getElementById('verdicts');
    data.pairwise.forEach(function (p) {
      var label = p.verdict === 'no-difference' ? 'no evidence' : p.verdict;
      list.appendChild(el('li', null, [el('span', { className: 'badge ' + p.verdict, text: label }), el('span', { text: p.sentence })]));
    });
    var details = document.getElementById('details');
    data.details.forEach(function (view) {
      if (!view.rows.length) return;
      details.appendChild(el('div', { className: 'card' }, [el('h3', { text: view.title }), viewTable(view)]));
    });
  }

`;
