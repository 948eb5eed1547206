/** The report's stylesheet: system fonts only (no web fonts: the file must work offline). */
export const REPORT_CSS = String.raw`
:root {
  --bg: #f6f7f9; --card: #ffffff; --ink: #1f2328; --muted: #5b6472; --line: #e3e6eb; --accent: #2457c5;
  --pass: #1a7f37; --pass-bg: #e9f6ec; --fail: #b42318; --fail-bg: #fdecea; --warn: #8a5a00; --warn-bg: #fff4d6;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 14px; line-height: 1.45; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
header.top { background: #111827; color: #f9fafb; padding: 18px 28px 14px; }
header.top h1 { margin: 0 0 4px; font-size: 20px; font-weight: 600; letter-spacing: .01em; }
header.top .facts { color: #c7cdd6; font-size: 13px; display: flex; flex-wrap: wrap; gap: 4px 18px; }
nav.sections { position: sticky; top: 0; z-index: 5; background: #ffffffee; border-bottom: 1px solid var(--line); padding: 8px 28px; display: flex; gap: 18px; backdrop-filter: blur(4px); }
nav.sections a { color: var(--accent); text-decoration: none; font-weight: 500; }
main { padding: 18px 28px 40px; max-width: 1600px; margin: 0 auto; }
section { margin-bottom: 28px; }
h2 { font-size: 17px; margin: 0 0 10px; font-weight: 600; }
h3 { font-size: 14px; margin: 0 0 8px; font-weight: 600; color: #374151; }
.banner { background: var(--warn-bg); color: var(--warn); border: 1px solid #f0d48a; border-radius: 8px; padding: 10px 14px; margin-bottom: 18px; font-weight: 500; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; box-shadow: 0 1px 2px rgba(16,24,40,.04); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-weight: 600; color: #374151; background: #f9fafb; white-space: nowrap; position: sticky; top: 0; }
td.num, th.num { text-align: right; }
th button.sort { all: unset; cursor: pointer; display: inline-flex; gap: 4px; align-items: center; }
th button.sort:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
th button.sort::after { content: "\2195"; color: #9aa3af; font-size: 11px; }
th[aria-sort="ascending"] button.sort::after { content: "\2191"; color: var(--accent); }
th[aria-sort="descending"] button.sort::after { content: "\2193"; color: var(--accent); }
tbody tr:hover { background: #fafbfc; }
.verdicts { list-style: none; padding: 0; margin: 12px 0 0; }
.verdicts li { padding: 6px 0; display: flex; gap: 10px; align-items: baseline; }
.badge { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.better, .badge.pass { background: var(--pass-bg); color: var(--pass); }
.badge.worse, .badge.fail { background: var(--fail-bg); color: var(--fail); }
.badge.no-difference, .badge.none { background: #eef0f3; color: var(--muted); }
.badge.error { background: var(--warn-bg); color: var(--warn); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; }
.chart-box { position: relative; height: 300px; }
.chart-empty { color: var(--muted); padding: 40px 0; text-align: center; }
.details { display: grid; gap: 16px; grid-template-columns: minmax(0, 1fr); }
.details > .card, .charts > .card { min-width: 0; }
.controls { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; margin-bottom: 10px; }
.controls input[type="search"] { padding: 6px 10px; border: 1px solid #cfd4dc; border-radius: 6px; min-width: 280px; font: inherit; }
.controls label { display: inline-flex; gap: 6px; align-items: center; cursor: pointer; }
.count { color: var(--muted); margin-left: auto; }
#details td, #overview-table td { white-space: nowrap; }
#overview-table th { white-space: normal; vertical-align: bottom; }
#overview-table th, #overview-table td { padding: 6px 8px; }
#rows-table > tbody > tr.row > td { max-width: 420px; min-width: 90px; }
#rows-table > tbody > tr.row > td:first-child { white-space: nowrap; min-width: 0; }
#rows-table > tbody > tr.row > td:nth-child(2) { min-width: 220px; }
#rows-table > tbody > tr.row > td.latency { min-width: 0; white-space: nowrap; }
.text { white-space: pre-wrap; word-break: break-word; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.cell-meta { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; margin-bottom: 4px; color: var(--muted); font-size: 12px; white-space: nowrap; }
#rows-table > tbody > tr.row > td.cell-ok, #rows-table > tbody > tr.row > td.cell-failed { min-width: 200px; }
.expander { all: unset; cursor: pointer; color: var(--accent); font-size: 12px; margin-top: 2px; display: inline-block; }
.note { color: var(--muted); font-size: 12px; }
.more { margin-top: 10px; }
.more button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid #cfd4dc; background: #fff; cursor: pointer; }
.settings-card { margin-top: 16px; }
ul.warnings { list-style: none; }
ul.warnings li + li { margin-top: 4px; }
#table-settings td { white-space: pre-wrap; overflow-wrap: break-word; max-width: 420px; }
#table-settings td:first-child, #table-settings td.num { white-space: nowrap; }
.controls select { font: inherit; padding: 4px 8px; border: 1px solid #cfd4dc; border-radius: 6px; background: #fff; }
.drill-toggle { all: unset; cursor: pointer; color: var(--accent); padding: 0 4px; border-radius: 4px; }
.drill-toggle:focus-visible { outline: 2px solid var(--accent); }
tr.detail-row > td { background: #f9fafb; max-width: none; }
.drill { display: grid; gap: 10px; position: sticky; left: 0; max-width: min(calc(100vw - 124px), 1530px); }
.drill h4 { margin: 0 0 6px; font-size: 13px; }
.drill-targets { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); }
.drill-target { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; min-width: 0; overflow-x: auto; }
.facts-list { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 8px; font-size: 12.5px; }
.facts-list dt { color: var(--muted); }
.facts-list dd { margin: 0; }
table.scores { margin: 6px 0; font-size: 12.5px; }
table.scores th { position: static; }
table.scores td, table.scores th { padding: 4px 8px; }
table.scores td:first-child { white-space: nowrap; }
table.scores td.text { white-space: pre-wrap; overflow-wrap: anywhere; min-width: 140px; }
.error-text { color: var(--fail); }
.answer { border-top: 1px solid var(--line); padding-top: 6px; margin-top: 6px; }
.conversation { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
.conversation .msg { display: grid; grid-template-columns: 90px 1fr; gap: 8px; }
.conversation .role { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; }
footer { color: var(--muted); font-size: 12px; padding: 0 28px 28px; max-width: 1600px; margin: 0 auto; }
`;
