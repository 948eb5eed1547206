/**
 * Live progress: on a TTY a single redrawn bar (done/total, req/s, ETA, 429s, errors); elsewhere (CI,
 * pipes, CI=true) a plain line every few seconds, so logs stay readable.
 *
 * It counts the journal records the run feeds its reporters (`observe`), including an earlier session's
 * records on --resume, so done, errors and attempts cover the whole run and its attempt count is the
 * summary's (candidate attempts; judge calls are not counted). Rate and ETA use this session's records.
 */
import type { JournalRecord } from '../types.ts';

export interface ProgressOptions {
  readonly total: number;
  readonly tty: boolean;
  readonly write: (text: string) => void;
  readonly now?: () => number;
  /** Plain-mode interval. @default 5000 @unit milliseconds */
  readonly intervalMs?: number;
}

export interface Progress {
  /** Counts one journal record (results and candidate attempts; other kinds are ignored). */
  observe(record: JournalRecord): void;
  /** Records observed before this call are an earlier session's: they count, but not towards the rate. */
  begin(): void;
  stop(): void;
}

export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  let started = now();
  let doneBefore = 0;
  let done = 0;
  let failed = 0;
  let attempts = 0;
  let throttled = 0;
  let lastDraw = 0;
  let lastCounts = '';
  const interval = options.intervalMs ?? (options.tty ? 150 : 5000);

  const render = (): string => {
    const elapsedS = Math.max(0.001, (now() - started) / 1000);
    const rate = (done - doneBefore) / elapsedS;
    const eta = rate > 0 ? (options.total - done) / rate : Number.NaN;
    const pct = options.total > 0 ? Math.floor((100 * done) / options.total) : 100;
    const parts = [
      `${done}/${options.total} (${pct}%)`,
      `${rate.toFixed(1)} req/s`,
      `ETA ${Number.isFinite(eta) ? formatSeconds(eta) : '--'}`,
      `429s ${throttled}`,
      `errors ${failed}`,
      `attempts ${attempts}`,
    ];
    if (!options.tty) return `progress: ${parts.join(' · ')}`;
    const width = 24;
    const filled = Math.round((width * pct) / 100);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${parts.join(' · ')}`;
  };

  const counts = () => `${done}/${failed}/${attempts}/${throttled}`;
  const maybeDraw = (force = false) => {
    const t = now();
    if (!force && t - lastDraw < interval) return;
    lastDraw = t;
    lastCounts = counts();
    const text = render();
    options.write(options.tty ? `\r\x1b[2K${text}` : `${text}\n`);
  };

  // Plain mode also needs a heartbeat when nothing settles for a while (long 429 pauses).
  const timer = options.tty ? undefined : setInterval(() => maybeDraw(true), interval);
  timer?.unref();

  return {
    observe(record) {
      if (record.kind === 'result') {
        done++;
        if (record.status === 'failed') failed++;
        maybeDraw();
      } else if (record.kind === 'attempt' && record.role !== 'judge') {
        attempts++;
        if (record.outcome === 'quota') throttled++;
      }
    },
    begin() {
      doneBefore = done;
      started = now();
    },
    stop() {
      if (timer) clearInterval(timer);
      const text = render();
      if (options.tty) options.write(`\r\x1b[2K${text}\n`);
      // The closing line only when a count changed since the last line (its rate alone is no news).
      else if (counts() !== lastCounts) options.write(`${text}\n`);
    },
  };
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.ceil(seconds % 60);
  return m < 60 ? `${m}m${String(s).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
