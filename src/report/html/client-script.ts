/**
 * The report's browser code: one IIFE assembled from the client-*.ts parts. It reads the JSON data block
 * and builds every element with createElement/textContent, so model output cannot become markup.
 * Hooks for tests: `body[data-ready]`, element ids, `window.__reportCharts`.
 */
import { CLIENT_CHARTS } from './client-charts.ts';
import { CLIENT_CORE } from './client-core.ts';
import { CLIENT_ROWS } from './client-rows.ts';
import { CLIENT_TABLES } from './client-tables.ts';

export const CLIENT_SCRIPT = [
  '(function () {\n',
  CLIENT_CORE,
  CLIENT_TABLES,
  CLIENT_CHARTS,
  CLIENT_ROWS,
  `  renderHeader();
  renderTables();
  renderCharts();
  renderRows();
  document.body.setAttribute('data-ready', 'true');
})();\n`,
].join('');
