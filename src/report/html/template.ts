/**
 * The report.html skeleton. Static markup only: every piece of run data travels in the JSON block and
 * is rendered by the client script through textContent. The CSP forbids any network fetch (no
 * default-src, no connect-src) as defence in depth; Chart.js is inlined, nothing loads from a CDN.
 */
import { embedJson, inlineScriptText } from './embed-json.ts';
import { BASELINE_CSS, CLIENT_BASELINE } from './client-baseline.ts';
import { CLIENT_SCRIPT } from './client-script.ts';
import { REPORT_CSS } from './styles.ts';
import type { ReportViewModel } from './view-model.ts';

export const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

/**
 * The page in parts, to be written one after another: the data block is megabytes at large runs, and
 * joining it with the rest made one more copy of the page as a string, then one as bytes.
 * @param chartJs the Chart.js UMD bundle's source text
 */
export function renderReportHtmlParts(model: ReportViewModel, chartJs: string): string[] {
  // Present only with a baseline comparison: without one the page is byte-identical to before.
  const withBaseline = model.baseline !== undefined;
  const head = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>batchbench report</title>
<style>${REPORT_CSS}${withBaseline ? BASELINE_CSS : ''}</style>
</head>
<body>
<header class="top">
  <h1>batchbench report</h1>
  <div class="facts" id="facts"></div>
</header>
<nav class="sections"><a href="#overview">Overview</a>${withBaseline ? '<a href="#baseline-section">vs baseline</a>' : ''}<a href="#charts-section">Charts</a><a href="#details-section">Details</a><a href="#rows-section">Rows</a></nav>
<main>
  <div class="banner" id="emulator-banner" role="note" hidden></div>
  <ul class="banner warnings" id="warnings" role="note" aria-label="Warnings" hidden></ul>
  <section id="overview">
    <h2>Overview</h2>
    <div class="card">
      <div id="overview-table"></div>
      <ul class="verdicts" id="verdicts" aria-label="Pairwise comparisons at 95%"></ul>
    </div>
    <div class="card settings-card">
      <h3>Target settings</h3>
      <div id="settings-table"></div>
    </div>
  </section>
${withBaseline ? '  <section id="baseline-section">\n    <h2>vs baseline</h2>\n    <div class="card" id="baseline"></div>\n  </section>\n' : ''}  <section id="charts-section">
    <h2>Charts</h2>
    <div class="charts" id="charts"></div>
  </section>
  <section id="details-section">
    <h2>Details</h2>
    <div class="details" id="details"></div>
  </section>
  <section id="rows-section">
    <h2>Rows</h2>
    <div class="card">
      <div class="controls">
        <input type="search" id="filter-search" placeholder="Search prompts, answers and outputs" aria-label="Search rows">
        <label><input type="checkbox" id="filter-disagree"> Targets disagree</label>
        <label>Failures <select id="filter-failures" aria-label="Show only failures">
          <option value="">all rows</option>
          <option value="errors">request errors</option>
          <option value="wrong">failed scoring (wrong answers)</option>
          <option value="any">either</option>
        </select></label>
        <span class="count" id="rows-count" aria-live="polite"></span>
      </div>
      <div class="table-wrap"><table id="rows-table"></table></div>
      <div class="more" id="rows-more" hidden><button type="button">Show more rows</button></div>
    </div>
  </section>
</main>
<footer id="methods"></footer>
<script type="application/json" id="report-data">`;
  return [
    head,
    embedJson(model),
    `</script>
<script>${inlineScriptText(chartJs)}</script>
<script>${inlineScriptText(CLIENT_SCRIPT)}</script>
${withBaseline ? `<script>${inlineScriptText(CLIENT_BASELINE)}</script>\n` : ''}</body>
</html>
`,
  ];
}
