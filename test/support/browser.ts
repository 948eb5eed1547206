/**
 * Opens a report.html in Debian's Chromium (playwright-core, never a downloaded browser) over file:// and
 * reports what a reader would meet: tables and charts rendered, filters and sorting working, console
 * errors, network requests, dialogs and any injected script that ran. Reusable for any run directory.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const hasChromium = (): boolean => existsSync(CHROMIUM_PATH);

export interface ChartFinding {
  readonly id: string;
  readonly hasInstance: boolean;
  readonly width: number;
  readonly height: number;
  /** At least one pixel of the canvas is not transparent. */
  readonly painted: boolean;
}

export interface FilterFinding {
  readonly matching: number;
  /** Every rendered row satisfies the filter. */
  readonly allMatch: boolean;
}

export interface ReportFindings {
  readonly ready: boolean;
  readonly consoleErrors: readonly string[];
  /** Requests to anything but the report itself and data: URLs (all blocked). */
  readonly externalRequests: readonly string[];
  readonly dialogs: readonly string[];
  /** Value of `window.__xss` after loading and interacting; set only if an injected payload ran. */
  readonly xssMarker: unknown;
  readonly emulatorBanner: boolean;
  readonly tables: Readonly<Record<string, number>>;
  readonly charts: readonly ChartFinding[];
  readonly emptyCharts: readonly string[];
  readonly rows: {
    readonly matching: number;
    readonly shown: number;
    readonly disagree: FilterFinding;
    /** "Failures: request errors". */
    readonly failures: FilterFinding;
    /** "Failures: failed scoring (wrong answers)". */
    readonly wrong: FilterFinding;
    readonly search: FilterFinding & { readonly query: string };
    /** Clicking "Row" twice orders rows by descending index; `null` with fewer than two distinct rows. */
    readonly sortRowDescending: boolean | null;
    /** Clicking the first target's latency header orders latencies ascending; `null` with fewer than two latencies. */
    readonly sortLatencyAscending: boolean | null;
    /** Clicking an overview column header marks it sorted. */
    readonly overviewSortable: boolean;
    /** Expanders opened without error (count). */
    readonly expandersOpened: number;
    /** The first row's drill-down after clicking its toggle; `null` when it did not open. */
    readonly drillDown: DrillDownFinding | null;
  };
  /** Chart.js state of each chart: axis types, dataset labels and (for labelled charts) the drawn point labels. */
  readonly chartDetails: Readonly<
    Record<string, { readonly xType: string; readonly datasets: readonly string[]; readonly pointLabels: readonly string[] | null }>
  >;
  /** The settings table as text, one array of cells per target. */
  readonly settings: readonly (readonly string[])[];
  /** Column labels of the settings table. */
  readonly settingsColumns: readonly string[];
  /** At a 900 px wide viewport: the page never scrolls sideways; wide tables scroll inside their card instead. */
  readonly narrow: { readonly pageOverflows: boolean; readonly scrollingTables: readonly string[] };
  readonly screenshots: readonly string[];
}

export interface DrillDownFinding {
  readonly rowId: string;
  /** Per target card: its text content. */
  readonly targets: Readonly<Record<string, string>>;
  /** Scorer names listed in the first target's score table. */
  readonly scorers: readonly string[];
  readonly conversation: readonly string[];
}

export interface CheckOptions {
  /** Text to search for in the row explorer. @default the first sampled row's id */
  readonly searchText?: string;
  /** Where screenshots go. @default next to the report */
  readonly screenshotDir?: string;
}

export async function checkReportInBrowser(htmlPath: string, options: CheckOptions = {}): Promise<ReportFindings> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const consoleErrors: string[] = [];
    const externalRequests: string[] = [];
    const dialogs: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    const reportUrl = pathToFileURL(htmlPath).href;
    const isLocal = (url: string) => url === reportUrl || url.startsWith('data:');
    const recordExternal = (url: string) => {
      if (!isLocal(url) && !externalRequests.includes(url)) externalRequests.push(url);
    };
    // Every request is seen (file: ones too); anything leaving the machine is also aborted.
    page.on('request', (request) => recordExternal(request.url()));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      recordExternal(url);
      return route.abort();
    });
    await page.goto(reportUrl, { waitUntil: 'load' });
    const ready = await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 }).then(
      () => true,
      () => false,
    );
    const tables = await page.$$eval('table', (list) => Object.fromEntries(list.map((t) => [t.id, t.querySelectorAll('tbody tr').length])));
    const charts = await page.$$eval('canvas[id^="chart-"]', (list) =>
      list.map((canvas) => {
        const c = canvas as unknown as CanvasLike;
        const instance = (globalThis as unknown as { Chart?: { getChart(x: unknown): unknown } }).Chart?.getChart(c);
        const pixels = c.width && c.height ? c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data : new Uint8ClampedArray();
        let painted = false;
        for (let i = 3; i < pixels.length; i += 4)
          if (pixels[i]! > 0) {
            painted = true;
            break;
          }
        return { id: c.id, hasInstance: Boolean(instance), width: c.width, height: c.height, painted };
      }),
    );
    const emptyCharts = await page.$$eval('[data-chart][data-empty]', (list) => list.map((e) => e.getAttribute('data-chart') ?? ''));
    const emulatorBanner = await page.$eval('#emulator-banner', (e) => !(e as unknown as { hidden: boolean }).hidden);
    const screenshotDir = options.screenshotDir ?? dirname(htmlPath);
    const overviewShot = join(screenshotDir, 'report-overview.png');
    await page.screenshot({ path: overviewShot });
    await page.$eval('#charts-section', (e) => {
      e.scrollIntoView();
      (globalThis as unknown as { scrollBy(x: number, y: number): void }).scrollBy(0, -48);
    });
    const chartsShot = join(screenshotDir, 'report-charts.png');
    await page.screenshot({ path: chartsShot });
    await page.$eval('#rows-section', (e) => {
      e.scrollIntoView();
      (globalThis as unknown as { scrollBy(x: number, y: number): void }).scrollBy(0, -48);
    });
    const rowsShot = join(screenshotDir, 'report-rows.png');
    await page.screenshot({ path: rowsShot });
    const chartDetails = await page.evaluate(() => {
      const all = (globalThis as unknown as { __reportCharts: Record<string, ChartLike> }).__reportCharts;
      return Object.fromEntries(
        Object.entries(all).map(([id, chart]) => {
          const labels = chart.canvas.getAttribute('data-labels');
          return [
            id,
            {
              xType: chart.options.scales?.x?.type ?? 'category',
              datasets: chart.data.datasets.map((d) => d.label),
              pointLabels: labels === null ? null : (JSON.parse(labels) as string[]),
            },
          ];
        }),
      );
    });
    const settingsColumns = await page.$$eval('#table-settings thead th', (list) => list.map((th) => (th.textContent ?? '').trim()));
    const settings = await page.$$eval('#table-settings tbody tr', (list) =>
      list.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    const rows = await exerciseRows(page, options.searchText);
    const drillShot = join(screenshotDir, 'report-drilldown.png');
    if (rows.drillDown) await page.screenshot({ path: drillShot });
    const xssMarker = await page.evaluate(() => (globalThis as unknown as { __xss?: unknown }).__xss);
    await page.setViewportSize({ width: 900, height: 1000 });
    const narrow = await page.evaluate(() => {
      const doc = (
        globalThis as unknown as {
          document: {
            scrollingElement: { scrollWidth: number; clientWidth: number };
            querySelectorAll(
              s: string,
            ): ArrayLike<{ scrollWidth: number; clientWidth: number; querySelector(s: string): { id: string } | null }>;
          };
        }
      ).document;
      const wraps = Array.from(doc.querySelectorAll('.table-wrap'));
      return {
        pageOverflows: doc.scrollingElement.scrollWidth > doc.scrollingElement.clientWidth,
        scrollingTables: wraps.filter((w) => w.scrollWidth > w.clientWidth).map((w) => w.querySelector('table')?.id ?? ''),
      };
    });
    const narrowShot = join(screenshotDir, 'report-narrow.png');
    await page.screenshot({ path: narrowShot });
    const screenshots = [overviewShot, chartsShot, rowsShot, ...(rows.drillDown ? [drillShot] : []), narrowShot];
    return {
      ready,
      consoleErrors,
      externalRequests,
      dialogs,
      xssMarker,
      emulatorBanner,
      tables,
      charts,
      emptyCharts,
      rows,
      chartDetails,
      settings,
      settingsColumns,
      narrow,
      screenshots,
    };
  } finally {
    await browser.close();
  }
}

// --- internal ---

/** The part of a Chart.js instance read here. */
interface ChartLike {
  readonly canvas: { getAttribute(name: string): string | null };
  readonly options: { readonly scales?: { readonly x?: { readonly type?: string } } };
  readonly data: { readonly datasets: readonly { readonly label: string }[] };
}

/** The canvas API used here (the project's tsconfig has no DOM lib). */
interface CanvasLike {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { readonly data: Uint8ClampedArray } } | null;
}

async function counts(page: Page): Promise<{ matching: number; shown: number }> {
  return page.$eval('#rows-count', (e) => ({
    matching: Number(e.getAttribute('data-matching')),
    shown: Number(e.getAttribute('data-shown')),
  }));
}

async function filterFinding(page: Page, rowClass: string): Promise<FilterFinding> {
  const { matching } = await counts(page);
  const allMatch = await page.$$eval('#rows-table tbody tr', (list, cls) => list.every((tr) => tr.classList.contains(cls)), rowClass);
  return { matching, allMatch };
}

async function exerciseRows(page: Page, searchText: string | undefined): Promise<ReportFindings['rows']> {
  const initial = await counts(page);
  await page.check('#filter-disagree');
  const disagree = await filterFinding(page, 'disagree');
  await page.uncheck('#filter-disagree');
  await page.selectOption('#filter-failures', 'errors');
  const failures = await filterFinding(page, 'failed');
  await page.selectOption('#filter-failures', 'wrong');
  const wrong = await filterFinding(page, 'wrong');
  await page.selectOption('#filter-failures', '');
  const firstId = await page.$$eval('#rows-table tbody tr', (list) => list[0]?.getAttribute('data-row-id') ?? '');
  const query = searchText ?? firstId;
  await page.fill('#filter-search', query);
  const afterSearch = await counts(page);
  const searchAll = await page.$$eval(
    '#rows-table tbody tr',
    (list, q) => list.every((tr) => (tr.textContent ?? '').toLowerCase().includes(q.toLowerCase())),
    query,
  );
  await page.fill('#filter-search', '');
  await page.click('#rows-table th[data-key="row"] button');
  const indices = await page.$$eval('#rows-table tbody tr', (list) => list.map((tr) => Number(tr.getAttribute('data-row-index'))));
  const sortRowDescending =
    new Set(indices).size < 2 ? null : indices.every((v, i) => i === 0 || indices[i - 1]! >= v) && indices[0]! > indices.at(-1)!;
  await page.click('#rows-table th[data-key="latency:0"] button');
  const latencies = await page.$$eval('#rows-table tbody tr', (list) =>
    list
      .map((tr) => tr.querySelector('td.latency')?.getAttribute('data-value'))
      .filter((v) => v !== null && v !== undefined)
      .map(Number),
  );
  const sortLatencyAscending = latencies.length < 2 ? null : latencies.every((v, i) => i === 0 || latencies[i - 1]! <= v);
  await page.click('#table-overview th:nth-child(3) button');
  const overviewSortable = (await page.$eval('#table-overview th:nth-child(3)', (th) => th.getAttribute('aria-sort'))) === 'ascending';
  const expanders = await page.$$('#rows-table button.expander');
  for (const button of expanders.slice(0, 5)) await button.click();
  const drillDown = await openDrillDown(page);
  return {
    matching: initial.matching,
    shown: initial.shown,
    disagree,
    failures,
    wrong,
    search: { query, matching: afterSearch.matching, allMatch: searchAll },
    sortRowDescending,
    sortLatencyAscending,
    overviewSortable,
    expandersOpened: Math.min(5, expanders.length),
    drillDown,
  };
}

/** Clicks the first row's drill-down toggle and reads what opened beneath it. */
async function openDrillDown(page: Page): Promise<DrillDownFinding | null> {
  const toggle = await page.$('#rows-table tbody tr.row button.drill-toggle');
  if (!toggle) return null;
  await toggle.click();
  const detail = await page.$('#rows-table tbody tr.detail-row');
  if (!detail) return null;
  await detail.scrollIntoViewIfNeeded();
  return detail.evaluate((tr) => ({
    rowId: tr.getAttribute('data-detail-for') ?? '',
    targets: Object.fromEntries(
      [...tr.querySelectorAll('.drill-target')].map((card) => [card.getAttribute('data-target') ?? '', card.textContent ?? '']),
    ),
    scorers: [...(tr.querySelector('.drill-target table.scores')?.querySelectorAll(':scope > tbody > tr') ?? [])].map(
      (r) => r.getAttribute('data-scorer') ?? '',
    ),
    conversation: [...tr.querySelectorAll('.conversation li')].map((li) => li.textContent ?? ''),
  }));
}
