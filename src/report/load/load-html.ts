/**
 * report.html of a load run: one self-contained file (inline CSS, data and Chart.js, no network), the
 * same approach and Content-Security-Policy as the eval report.
 */
import { embedJson, inlineScriptText } from '../html/embed-json.ts';
import { REPORT_CSS } from '../html/styles.ts';
import { CONTENT_SECURITY_POLICY } from '../html/template.ts';
import { LOAD_CLIENT_SCRIPT } from './load-client-script.ts';
import type { LoadViewModel } from './load-view-model.ts';

const LOAD_CSS = `
.load-steps { border-collapse: collapse; font-size: 12px; }
.load-steps th, .load-steps td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: right; white-space: nowrap; }
.load-steps th:nth-child(2), .load-steps td:nth-child(2) { text-align: left; }
.load-steps tr.client-bound td { background: var(--warn-bg); }
.load-steps tr.goodput td { font-weight: 600; background: var(--pass-bg); }
.chart { max-width: 900px; margin-bottom: 14px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px; margin-bottom: 14px; }
.table-wrap { overflow-x: auto; }
`;

export function renderLoadHtml(model: LoadViewModel, chartJs: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>batchbench load report</title>
<style>${REPORT_CSS}${LOAD_CSS}</style>
</head>
<body>
<header class="top">
  <h1>batchbench load report</h1>
  <div class="facts" id="facts"></div>
</header>
<main>
  <div class="banner" id="emulator-banner" role="note" hidden></div>
  <section id="method-section"><h2>Method</h2><div class="card"><ul id="method"></ul></div></section>
  <section id="targets-section"><h2>Steps</h2><div id="targets"></div></section>
  <section id="charts-section"><h2>Charts</h2><div id="charts"></div></section>
</main>
<script type="application/json" id="report-data">${embedJson(model)}</script>
<script>${inlineScriptText(chartJs)}</script>
<script>${inlineScriptText(LOAD_CLIENT_SCRIPT)}</script>
</body>
</html>
`;
}
