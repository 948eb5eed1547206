/**
 * Synthetic but realistic journals for reporter tests: three targets with different accuracy and
 * latency, repeats, failures of several kinds, 429 attempts before some results, cached results, and
 * prompts/outputs carrying script-injection and formula-injection payloads. Deterministic per seed.
 */
import { writeFile } from 'node:fs/promises';
import { createRng, logNormal, type Random } from '../../src/internal/rng.ts';
import type { AttemptRecord, JournalRecord, ResultRecord, RunEndRecord, RunStartRecord, TargetInfo } from '../../src/types.ts';

/** Payloads that must stay inert: each sets `window.__xss` (or opens a dialog) if it ever runs. */
export const XSS_PAYLOADS = [
  '<script>window.__xss = "script"</script>',
  '<img src=x onerror="window.__xss = \'img\'">',
  'javascript:window.__xss = "href"',
  '</script><script>window.__xss = "breakout"</script>',
  '"><svg onload="window.__xss = \'svg\'"><!--',
  '<a href="javascript:alert(1)">click</a> <img src=x onerror=alert(1)>',
  'line\u2028separator\u2029and <!-- comment',
] as const;

/** Spreadsheet formula payloads that results.csv must neutralise. */
export const FORMULA_PAYLOADS = ['=HYPERLINK("http://evil.invalid","click")', '+SUM(1,2)', '-2+3', '@cmd', '\tTAB', '\rCR'] as const;

export interface JournalFixtureOptions {
  /** @default 40 */
  readonly rows?: number;
  /** @default 1 */
  readonly repeats?: number;
  /** @default 7 */
  readonly seed?: number;
  /** @default true */
  readonly emulator?: boolean;
  /** Include XSS and formula payloads in prompts and outputs. @default true */
  readonly payloads?: boolean;
  /** Length of the filler added to each output, to model long answers. @default 0 */
  readonly outputPadding?: number;
  /** SLO recorded in the run-start record. @default { ttftMs: 400, e2eMs: 2000 } */
  readonly slo?: RunStartRecord['slo'];
}

interface TargetModel {
  readonly info: TargetInfo;
  readonly accuracy: number;
  readonly ttftMedianMs: number;
  readonly msPerToken: number;
}

export const FIXTURE_TARGETS: readonly TargetModel[] = [
  {
    info: {
      name: 'gpt-4o',
      api: 'chat',
      price: { input: 2.5, output: 10, cachedInput: 1.25 },
      deployments: [{ id: 'gpt-4o/eastus', baseURL: 'http://127.0.0.1:1/openai/v1/', deployment: 'gpt-4o' }],
    },
    accuracy: 0.85,
    ttftMedianMs: 280,
    msPerToken: 12,
  },
  {
    info: {
      name: 'gpt-4o-mini',
      api: 'chat',
      price: { input: 0.15, output: 0.6 },
      deployments: [{ id: 'gpt-4o-mini/eastus', baseURL: 'http://127.0.0.1:1/openai/v1/', deployment: 'gpt-4o-mini' }],
    },
    accuracy: 0.7,
    ttftMedianMs: 180,
    msPerToken: 7,
  },
  {
    info: {
      name: 'o4-mini',
      api: 'responses',
      deployments: [{ id: 'o4-mini/swc', baseURL: 'http://127.0.0.1:1/openai/v1/', deployment: 'o4-mini' }],
    },
    accuracy: 0.6,
    ttftMedianMs: 900,
    msPerToken: 9,
  },
];

export const FIXTURE_START_MS = 1_763_200_000_000;

/** Builds a complete journal (run-start, attempts and results in end-time order, run-end). */
export function createJournalFixture(options: JournalFixtureOptions = {}): JournalRecord[] {
  const rows = options.rows ?? 40;
  const repeats = options.repeats ?? 1;
  const random = createRng(options.seed ?? 7);
  const timed: { at: number; record: AttemptRecord | ResultRecord }[] = [];
  const stats = { attempts: 0, quota429: 0, capacity429: 0, pausedMs: 0 };
  for (let index = 0; index < rows; index++) {
    const row = fixtureRow(index, options.payloads ?? true);
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (const model of FIXTURE_TARGETS) {
        const cell = simulateCell(model, row, index, repeat, random, options.outputPadding ?? 0);
        stats.attempts += cell.attempts.length;
        stats.quota429 += cell.attempts.filter((a) => a.outcome === 'quota').length;
        stats.pausedMs += cell.attempts.reduce((sum, a) => sum + (a.outcome === 'quota' ? a.timing.endMs : 0), 0);
        for (const attempt of cell.attempts) timed.push({ at: attempt.timing.startedAt + attempt.timing.endMs, record: attempt });
        timed.push({ at: cell.endAt, record: cell.result });
      }
    }
  }
  timed.sort((a, b) => a.at - b.at);
  const start: RunStartRecord = {
    v: 1,
    kind: 'run-start',
    runId: `fixture-${options.seed ?? 7}`,
    startedAt: new Date(FIXTURE_START_MS).toISOString(),
    dataset: 'datasets/fixture.jsonl',
    rows,
    repeats,
    targets: FIXTURE_TARGETS.map((t) => t.info),
    scorers: ['contains', 'exact-match'],
    emulator: options.emulator ?? true,
    configHash: 'c0ffee',
    slo: options.slo ?? { ttftMs: 400, e2eMs: 2000 },
  };
  const lastAt = timed.at(-1)?.at ?? FIXTURE_START_MS;
  const end: RunEndRecord = {
    v: 1,
    kind: 'run-end',
    endedAt: new Date(lastAt).toISOString(),
    reason: 'completed',
    stats: {
      items: rows * repeats * FIXTURE_TARGETS.length,
      attempts: stats.attempts,
      quota429: stats.quota429,
      capacity429: 0,
      pausedMs: stats.pausedMs,
      peakInFlight: 24,
    },
  };
  return [start, ...timed.map((t) => t.record), end];
}

/** JSON Lines text of a journal, as the sink writes it. */
export function toJsonl(records: readonly JournalRecord[]): string {
  return `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
}

export async function writeJournalFixture(path: string, records: readonly JournalRecord[]): Promise<void> {
  await writeFile(path, toJsonl(records));
}

/** Parses a journal.jsonl text back into records (no torn-line tolerance: fixtures are whole). */
export function parseJsonl(text: string): JournalRecord[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as JournalRecord);
}

// --- internal ---

interface FixtureRow {
  readonly id: string;
  readonly prompt: string;
  readonly expected: string;
  readonly payload: string | null;
}

function fixtureRow(index: number, payloads: boolean): FixtureRow {
  const payload =
    payloads && index % 5 === 0
      ? [...XSS_PAYLOADS, ...FORMULA_PAYLOADS][(index / 5) % (XSS_PAYLOADS.length + FORMULA_PAYLOADS.length)]!
      : null;
  const expected = `answer-${(index * 37) % 101}`;
  const prompt =
    payload === null
      ? `Question ${index + 1}: what is item ${index} of the list? Reply with the answer only.`
      : `${payload} (question ${index + 1})`;
  return { id: `row-${String(index + 1).padStart(4, '0')}`, prompt, expected, payload };
}

function simulateCell(model: TargetModel, row: FixtureRow, index: number, repeat: number, random: Random, padding: number) {
  const name = model.info.name;
  const deploymentId = model.info.deployments[0]!.id;
  const key = `${row.id}|${name}|${repeat}`;
  const queuedAt = FIXTURE_START_MS + index * 150 + repeat * 40 + Math.floor(random() * 100);
  const base = { v: 1 as const, kind: 'attempt' as const, key, target: name, deploymentId };
  const attempts: AttemptRecord[] = [];
  let at = queuedAt;
  // About one cell in eight is throttled once or twice before it gets through.
  const throttles = random() < 0.12 ? 1 + Math.floor(random() * 2) : 0;
  for (let i = 0; i < throttles; i++) {
    const waitedBeforeMs = i === 0 ? 0 : 1000;
    at += waitedBeforeMs;
    attempts.push({
      ...base,
      attempt: i + 1,
      outcome: 'quota',
      status: 429,
      errorCode: '429',
      waitedBeforeMs,
      timing: { startedAt: at, endMs: 40 },
      rate: { retryAfterMs: 1000 },
    });
    at += 40;
  }
  const common = {
    v: 1 as const,
    kind: 'result' as const,
    key,
    rowId: row.id,
    rowIndex: index,
    target: name,
    repeat,
    prompt: row.prompt,
    expected: row.expected,
  };
  const failure = random();
  if (failure < 0.03) {
    const waitedBeforeMs = throttles ? 1000 : 0;
    at += waitedBeforeMs;
    attempts.push({
      ...base,
      attempt: throttles + 1,
      outcome: 'server',
      status: 500,
      errorCode: 'server_error',
      waitedBeforeMs,
      timing: { startedAt: at, endMs: 300 },
    });
    at += 300;
    const result: ResultRecord = {
      ...common,
      status: 'failed',
      deploymentId,
      attempts: attempts.length,
      durationMs: at - queuedAt,
      reason: 'exhausted',
      error: {
        name: 'ProviderError',
        code: 'server_error',
        message: `HTTP 500 <b>${row.payload ?? 'upstream'}</b>`,
        category: 'server',
        status: 500,
        retryable: true,
      },
    };
    return { attempts, result, endAt: at };
  }
  if (failure < 0.045) {
    const result: ResultRecord = {
      ...common,
      status: 'failed',
      deploymentId,
      attempts: attempts.length + 1,
      durationMs: at - queuedAt + 120,
      reason: 'fatal',
      error: {
        name: 'ProviderError',
        code: 'content_filter',
        message: 'The response was filtered',
        category: 'content_filter',
        status: 400,
        retryable: false,
      },
    };
    attempts.push({
      ...base,
      attempt: throttles + 1,
      outcome: 'content_filter',
      status: 400,
      errorCode: 'content_filter',
      waitedBeforeMs: throttles ? 1000 : 0,
      timing: { startedAt: at, endMs: 120 },
    });
    return { attempts, result, endAt: at + 120 };
  }
  const cached = random() < 0.03;
  const passed = random() < model.accuracy;
  const completionTokens = 3 + Math.floor(random() * 60) + (name === 'o4-mini' ? 200 : 0);
  const reasoningTokens = name === 'o4-mini' ? 200 : 0;
  const promptTokens = 40 + (index % 17);
  const cachedTokens = index % 3 === 0 ? 32 : 0;
  const ttft = Math.round(logNormal(random, model.ttftMedianMs, 0.35));
  const endMs = ttft + Math.round(completionTokens * model.msPerToken * (0.8 + random() * 0.4));
  const waitedBeforeMs = throttles ? 1000 : 0;
  at += waitedBeforeMs;
  const timing = {
    startedAt: at,
    headersMs: Math.round(ttft * 0.6),
    firstEventMs: Math.round(ttft * 0.8),
    firstTokenMs: ttft,
    endMs,
    chunks: completionTokens,
  };
  const usage = { promptTokens, completionTokens, reasoningTokens, cachedTokens };
  const output = `${passed ? row.expected : `wrong-${index}`}${row.payload && index % 2 === 0 ? ` ${row.payload}` : ''}${padding ? ` ${'lorem ipsum '.repeat(Math.ceil(padding / 12)).slice(0, padding)}` : ''}`;
  if (!cached)
    attempts.push({ ...base, attempt: throttles + 1, outcome: 'ok', status: 200, waitedBeforeMs, timing, usage, requestId: `req-${key}` });
  const price = model.info.price;
  const cost = price ? (promptTokens * price.input + completionTokens * price.output) / 1e6 : null;
  const result: ResultRecord = {
    ...common,
    status: 'ok',
    deploymentId,
    attempts: attempts.length || 1,
    durationMs: at + endMs - queuedAt,
    output,
    finishReason: 'stop',
    usage,
    timing,
    cost,
    scores: [
      { scorer: 'contains', status: 'ok', value: passed ? 1 : 0, passed },
      index % 23 === 4
        ? { scorer: 'exact-match', status: 'error', error: 'scorer threw <script>x</script>' }
        : { scorer: 'exact-match', status: 'ok', value: passed ? 1 : 0, passed },
    ],
    passed,
    ...(cached ? { cached: true } : {}),
  };
  return { attempts, result, endAt: at + endMs };
}
