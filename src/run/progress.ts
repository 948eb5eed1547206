/**
 * Live progress: on a TTY a single redrawn bar (done/total, req/s, ETA, 429s, errors, each target's
 * done/total); elsewhere (CI, pipes, CI=true) a plain line every few seconds, so logs stay readable.
 *
 * It counts the journal records the run feeds its reporters (`observe`), including an earlier session's
 * records on --resume, so done, errors and attempts cover the whole run and its figures are the
 * summary's: `attempts` its attempts, `429s` its quota + capacity 429s, `errors` its other failed
 * attempts (judge calls are not counted). Rate and ETA use this session's records.
 *
 * When a deployment is not moving (nothing in flight to it) because it waits — a quota pause, the
 * first-contact probe of an endpoint that never answered, an open breaker — the line says so, from the
 * scheduler's gate snapshots (`observeGates`) and the deployment's last failed attempt. A new reason is
 * printed at once, even in plain mode: a CI log then says why a shard sits still.
 */
import type { GateSnapshot } from '../scheduler/scheduler.ts';
import type { JournalRecord } from '../types.ts';

export interface ProgressOptions {
  readonly total: number;
  readonly tty: boolean;
  readonly write: (text: string) => void;
  /** Clock time, in the same time base as the gate snapshots' `pauseUntil` / `nextProbeAt`. @unit milliseconds */
  readonly now?: () => number;
  /** Plain-mode interval. @default 5000 @unit milliseconds */
  readonly intervalMs?: number;
  /** The compared targets with their cell counts, for the per-target figures on a TTY. */
  readonly targets?: readonly { readonly name: string; readonly total: number }[];
  /** Repeating timer seam (tests drive it by hand). @default an unref'd setInterval */
  readonly every?: (fn: () => void, ms: number) => () => void;
}

export interface Progress {
  /** Counts one journal record (results and candidate attempts; other kinds are ignored). */
  observe(record: JournalRecord): void;
  /** The scheduler's latest view of every deployment (SchedulerOptions.diagnostics). */
  observeGates(gates: readonly GateSnapshot[]): void;
  /** Records observed before this call are an earlier session's: they count, but not towards the rate. */
  begin(): void;
  stop(): void;
}

/** A TTY redraws this often when nothing settles, so a wait's countdown moves. @unit milliseconds */
const TTY_HEARTBEAT_MS = 1_000;
/** Waiting reasons shown at once; the rest are counted. */
const MAX_REASONS = 3;
/** Targets shown on a TTY line; the rest are counted. */
const MAX_TARGETS = 6;

export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  let started = now();
  let doneBefore = 0;
  let done = 0;
  let failed = 0;
  let attempts = 0;
  let throttled = 0;
  let errors = 0;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastCounts = '';
  let lastWaiting = '';
  let gates: readonly GateSnapshot[] = [];
  const doneByTarget = new Map<string, number>();
  const targetOf = new Map<string, string>();
  const lastFailure = new Map<string, { outcome: string; code?: string; status?: number }>();
  const interval = options.intervalMs ?? (options.tty ? 150 : 5000);

  const waiting = (t: number): string[] => {
    const reasons: string[] = [];
    for (const gate of gates) {
      if (gate.inFlight > 0) continue;
      const target = targetOf.get(gate.id);
      const cells = options.targets?.find((x) => x.name === target)?.total;
      if (target !== undefined && cells !== undefined && (doneByTarget.get(target) ?? 0) >= cells) continue;
      const reason = waitReason(gate, lastFailure.get(gate.id), t);
      if (reason !== undefined) reasons.push(reason);
    }
    return reasons;
  };

  const render = (withWaiting: boolean): string => {
    const t = now();
    const elapsedS = Math.max(0.001, (t - started) / 1000);
    const rate = (done - doneBefore) / elapsedS;
    const eta = rate > 0 ? (options.total - done) / rate : Number.NaN;
    const pct = options.total > 0 ? Math.floor((100 * done) / options.total) : 100;
    const parts = [
      `${done}/${options.total} (${pct}%)`,
      `${rate.toFixed(1)} req/s`,
      `ETA ${Number.isFinite(eta) ? formatSeconds(eta) : '--'}`,
      `429s ${throttled}`,
      `errors ${errors}`,
      `attempts ${attempts}`,
    ];
    if (failed > 0) parts.push(`failed cells ${failed}`);
    const targets = options.targets ?? [];
    if (options.tty && targets.length > 1) {
      const shown = targets.slice(0, MAX_TARGETS).map((x) => `${x.name} ${doneByTarget.get(x.name) ?? 0}/${x.total}`);
      parts.push(shown.join(', ') + (targets.length > MAX_TARGETS ? ` (+${targets.length - MAX_TARGETS} more)` : ''));
    }
    if (withWaiting) {
      const reasons = waiting(t);
      if (reasons.length > 0)
        parts.push(
          `waiting: ${reasons.slice(0, MAX_REASONS).join('; ')}${reasons.length > MAX_REASONS ? ` (+${reasons.length - MAX_REASONS} more)` : ''}`,
        );
    }
    if (!options.tty) return `progress: ${parts.join(' · ')}`;
    const width = 24;
    const filled = Math.round((width * pct) / 100);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${parts.join(' · ')}`;
  };

  const counts = () => `${done}/${failed}/${attempts}/${throttled}/${errors}`;
  const draw = () => {
    lastDraw = now();
    lastCounts = counts();
    const text = render(true);
    options.write(options.tty ? `\r\x1b[2K${text}` : `${text}\n`);
  };
  const maybeDraw = () => {
    if (now() - lastDraw >= interval) draw();
  };
  // A deployment that starts waiting is news: draw now rather than at the next heartbeat. The key
  // leaves out the countdowns, so a wait is announced once, not every second; its end is not news.
  // Plain lines stay at most one per interval (a quota-bound run pauses often; heartbeats still show
  // a long wait), a TTY just redraws.
  const announce = () => {
    const key = waiting(now())
      .map((r) => r.replace(/\d[\dhms ]*$/, ''))
      .join('|');
    if (key === lastWaiting) return;
    lastWaiting = key;
    if (key !== '' && (options.tty || now() - lastDraw >= interval)) draw();
  };

  // Plain mode needs a heartbeat when nothing settles for a while (long 429 pauses); a TTY needs one
  // so a wait's countdown moves.
  const every = options.every ?? defaultEvery;
  const cancel = every(draw, options.tty ? TTY_HEARTBEAT_MS : interval);

  return {
    observe(record) {
      if (record.kind === 'result') {
        done++;
        doneByTarget.set(record.target, (doneByTarget.get(record.target) ?? 0) + 1);
        if (record.status === 'failed') failed++;
        maybeDraw();
      } else if (record.kind === 'attempt' && record.role !== 'judge') {
        attempts++;
        targetOf.set(record.deploymentId, record.target);
        if (record.outcome === 'quota' || record.outcome === 'capacity') throttled++;
        else if (record.outcome !== 'ok') errors++;
        if (record.outcome === 'ok') lastFailure.delete(record.deploymentId);
        else {
          lastFailure.set(record.deploymentId, {
            outcome: record.outcome,
            ...(record.errorCode ? { code: record.errorCode } : {}),
            ...(record.status ? { status: record.status } : {}),
          });
          if (gates.length > 0) announce();
        }
      }
    },
    observeGates(snapshot) {
      gates = snapshot;
      announce();
    },
    begin() {
      doneBefore = done;
      started = now();
    },
    stop() {
      cancel();
      // The run is over: nothing waits any more.
      const text = render(false);
      if (options.tty) options.write(`\r\x1b[2K${text}\n`);
      // The closing line only when a count changed since the last line (its rate alone is no news).
      else if (counts() !== lastCounts) options.write(`${text}\n`);
    },
  };
}

// --- internal ---

/** Why `gate` sends nothing at `t`, or undefined when it is free to send. */
function waitReason(
  gate: GateSnapshot,
  failure: { outcome: string; code?: string; status?: number } | undefined,
  t: number,
): string | undefined {
  const probeIn = gate.nextProbeAt - t;
  const cause =
    failure === undefined ? '' : ` (${failure.code ?? (failure.status === undefined ? failure.outcome : `HTTP ${failure.status}`)})`;
  if (!gate.answered && probeIn > 0 && Number.isFinite(probeIn))
    return `${gate.id} unreachable${cause}, probing; next try in ${formatWait(probeIn)}`;
  if (gate.breaker !== 'closed' && probeIn > 0 && Number.isFinite(probeIn))
    return `${gate.id} breaker open after errors${cause}; next probe in ${formatWait(probeIn)}`;
  const pauseIn = gate.pauseUntil - t;
  if (pauseIn > 0 && Number.isFinite(pauseIn))
    return `${gate.id} ${failure?.outcome === 'capacity' ? 'at capacity (429); retrying' : 'quota window resets'} in ${formatWait(pauseIn)}`;
  return undefined;
}

function defaultEvery(fn: () => void, ms: number): () => void {
  const timer = setInterval(fn, ms);
  timer.unref();
  return () => clearInterval(timer);
}

/** A wait's countdown: `7 s`, then `2m05s`. */
function formatWait(ms: number): string {
  return ms < 60_000 ? `${Math.ceil(ms / 1000)} s` : formatSeconds(ms / 1000);
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.ceil(seconds % 60);
  return m < 60 ? `${m}m${String(s).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
