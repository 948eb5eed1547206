/**
 * The progress line as a function of the journal records and gate snapshots it is shown, on an
 * injected clock and a hand-driven heartbeat: its counts are the summary's (attempts, 429s, other
 * failed attempts), a TTY shows each target's done/total, and a deployment that is not moving says why.
 */
import { describe, expect, test } from 'vitest';
import { createProgress, type ProgressOptions } from '../../src/run/progress.ts';
import type { GateSnapshot } from '../../src/scheduler/scheduler.ts';
import type { AttemptRecord, JournalRecord, ResultRecord } from '../../src/types.ts';

function harness(options: Partial<ProgressOptions> = {}) {
  let t = 1_000_000;
  const lines: string[] = [];
  let beat: (() => void) | undefined;
  let cancelled = false;
  const progress = createProgress({
    total: 4,
    tty: false,
    write: (text) => void lines.push(text),
    now: () => t,
    every: (fn) => {
      beat = fn;
      return () => {
        cancelled = true;
      };
    },
    ...options,
  });
  return {
    progress,
    lines,
    advance: (ms: number) => {
      t += ms;
    },
    now: () => t,
    tick: () => beat!(),
    get cancelled() {
      return cancelled;
    },
    last: () =>
      lines
        .at(-1)!
        .replace(/^\r\x1b\[2K/, '')
        .trimEnd(),
  };
}

function attempt(
  target: string,
  deploymentId: string,
  outcome: AttemptRecord['outcome'],
  extra: Partial<AttemptRecord> = {},
): JournalRecord {
  return {
    v: 1,
    kind: 'attempt',
    key: `k|${target}`,
    target,
    deploymentId,
    attempt: 1,
    outcome,
    waitedBeforeMs: 0,
    timing: { startedAt: 0, endMs: 5 },
    ...extra,
  } as AttemptRecord;
}

function result(target: string, status: 'ok' | 'failed'): JournalRecord {
  return { v: 1, kind: 'result', key: `r|${target}|${Math.random()}`, target, status } as unknown as ResultRecord;
}

function gate(id: string, over: Partial<GateSnapshot>): GateSnapshot {
  const mirror = { shape: 'sliding', budget: undefined, used: 0, windowMs: 60_000, skewMs: 0 } as const;
  // Cast: the snapshot grows fields the progress line does not read.
  return {
    id,
    inFlight: 0,
    cap: 4,
    beta: 1,
    pauseUntil: 0,
    breaker: 'closed',
    nextProbeAt: 0,
    answered: true,
    tokens: mirror,
    requests: mirror,
    ...over,
  } as GateSnapshot;
}

describe('progress counts', () => {
  test('429s are quota + capacity attempts, errors the other failed attempts, judge calls excluded', () => {
    const h = harness();
    h.progress.observe(attempt('mini', 'd1', 'quota'));
    h.progress.observe(attempt('mini', 'd1', 'capacity'));
    h.progress.observe(attempt('mini', 'd1', 'connection', { errorCode: 'ECONNREFUSED' }));
    h.progress.observe(attempt('mini', 'd1', 'server', { status: 500 }));
    h.progress.observe(attempt('mini', 'd1', 'ok'));
    h.progress.observe({ ...(attempt('judge', 'j', 'server') as AttemptRecord), role: 'judge' });
    h.tick();
    expect(h.last()).toMatch(/^progress: 0\/4 \(0%\) · 0\.0 req\/s · ETA -- · 429s 2 · errors 2 · attempts 5$/);
  });

  test('failed cells are counted apart from failed attempts', () => {
    const h = harness();
    h.progress.observe(attempt('mini', 'd1', 'auth', { status: 401 }));
    h.progress.observe(result('mini', 'failed'));
    h.progress.stop();
    expect(h.last()).toContain('errors 1 · attempts 1 · failed cells 1');
    expect(h.cancelled).toBe(true);
  });

  test('a TTY shows each target’s done/total; plain lines do not', () => {
    const targets = [
      { name: 'mini', total: 2 },
      { name: 'r1', total: 2 },
    ];
    const tty = harness({ tty: true, targets });
    tty.progress.observe(result('mini', 'ok'));
    tty.progress.observe(result('mini', 'ok'));
    tty.progress.observe(result('r1', 'ok'));
    tty.tick();
    expect(tty.last()).toMatch(/^\[#+\.*\] 3\/4 \(75%\) .* · mini 2\/2, r1 1\/2$/);
    const plain = harness({ targets });
    plain.progress.observe(result('mini', 'ok'));
    plain.tick();
    expect(plain.last()).not.toContain('mini 1/2');
  });
});

describe('progress says why nothing moves', () => {
  test('a quota pause: the deployment and when its window resets, counting down on the injected clock', () => {
    const h = harness({ tty: true });
    h.progress.observe(attempt('mini', 'gpt-4.1-mini', 'quota', { status: 429 }));
    h.progress.observeGates([gate('gpt-4.1-mini', { pauseUntil: h.now() + 7_000 })]);
    expect(h.last()).toMatch(/· waiting: gpt-4\.1-mini quota window resets in 7 s$/);
    h.advance(2_500);
    h.tick();
    expect(h.last()).toMatch(/waiting: gpt-4\.1-mini quota window resets in 5 s$/);
    h.advance(5_000);
    h.tick();
    expect(h.last()).not.toContain('waiting');
  });

  test('an endpoint that never answered: probing, with the OS error and the next try', () => {
    const h = harness();
    h.progress.observe(attempt('gpt-4o', 'eastus', 'connection', { errorCode: 'ECONNREFUSED' }));
    h.progress.observeGates([gate('eastus', { answered: false, nextProbeAt: h.now() + 4_000 })]);
    // announced at once, even in plain mode (no heartbeat needed)
    expect(h.lines).toHaveLength(1);
    expect(h.last()).toMatch(/waiting: eastus unreachable \(ECONNREFUSED\), probing; next try in 4 s$/);
    // the same wait is not announced again with each snapshot
    h.advance(1_000);
    h.progress.observeGates([gate('eastus', { answered: false, nextProbeAt: h.now() + 3_000 })]);
    expect(h.lines).toHaveLength(1);
  });

  test('plain mode announces a new wait at most once per interval; heartbeats still show it', () => {
    const h = harness({ intervalMs: 5_000 });
    h.progress.observe(attempt('mini', 'a', 'quota'));
    h.progress.observeGates([gate('a', { pauseUntil: h.now() + 3_000 })]);
    expect(h.lines).toHaveLength(1);
    h.advance(3_500);
    h.progress.observe(attempt('mini', 'b', 'quota'));
    h.progress.observeGates([gate('b', { pauseUntil: h.now() + 9_000 })]);
    expect(h.lines).toHaveLength(1);
    h.tick();
    expect(h.last()).toMatch(/waiting: b quota window resets in 9 s$/);
  });

  test('an open breaker names the last error', () => {
    const h = harness();
    h.progress.observe(attempt('mini', 'westus', 'server', { status: 503 }));
    h.progress.observeGates([gate('westus', { breaker: 'open', nextProbeAt: h.now() + 12_000 })]);
    expect(h.last()).toMatch(/waiting: westus breaker open after errors \(HTTP 503\); next probe in 12 s$/);
  });

  test('a deployment with requests in flight, one whose wait is over, and a finished target are not waiting', () => {
    const h = harness({
      targets: [
        { name: 'done', total: 1 },
        { name: 'busy', total: 5 },
      ],
    });
    h.progress.observe(attempt('done', 'd-done', 'quota'));
    h.progress.observe(result('done', 'ok'));
    h.progress.observe(attempt('busy', 'd-busy', 'quota'));
    h.progress.observeGates([
      gate('d-done', { pauseUntil: h.now() + 5_000 }),
      gate('d-busy', { pauseUntil: h.now() + 5_000, inFlight: 3 }),
      gate('d-past', { pauseUntil: h.now() - 1, answered: false, nextProbeAt: h.now() }),
    ]);
    h.tick();
    expect(h.last()).not.toContain('waiting');
  });

  test('the closing line never says waiting', () => {
    const h = harness();
    h.progress.observe(attempt('mini', 'd1', 'quota'));
    h.progress.observeGates([gate('d1', { pauseUntil: h.now() + 9_000 })]);
    h.progress.observe(result('mini', 'ok'));
    h.progress.stop();
    expect(h.last()).not.toContain('waiting');
  });
});
