/**
 * The whole load report as one value: per target its steps, the floor (synchronous) rate, the
 * saturation throughput, and the goodput point (the highest offered rate whose step met the SLO). A pure
 * fold of the load journal.
 */
import type { LoadJournalRecord, LoadRequestRecord, LoadStartRecord, LoadStepEndRecord, LoadStepRecord } from './load-records.ts';
import { stepStats, type StepStats } from './step-stats.ts';

export interface TargetLoadSummary {
  readonly name: string;
  readonly steps: readonly StepStats[];
  /** Throughput of the synchronous step: the unloaded floor. @unit requests/s */
  readonly floorRps: number | null;
  /** Throughput of the saturation step (or the best step when there is none). @unit requests/s */
  readonly saturationRps: number | null;
  readonly goodput: {
    readonly step: number;
    readonly rate: number;
    readonly goodputRps: number;
    readonly throughputRps: number;
    readonly tokensPerMin: number;
  } | null;
}

export interface LoadSummary {
  readonly start: LoadStartRecord;
  readonly targets: readonly TargetLoadSummary[];
  readonly reason: 'completed' | 'aborted' | 'unfinished';
  /** Worst open-loop pacing across measured steps, shown in every report. */
  readonly pacing: { readonly worstRateError: number | null; readonly worstJitterP99Ms: number | null };
}

export function summarizeLoad(records: readonly LoadJournalRecord[]): LoadSummary {
  const start = records.find((r): r is LoadStartRecord => r.kind === 'load-start');
  if (!start) throw new Error('not a load journal: no load-start record');
  const steps = records.filter((r): r is LoadStepRecord => r.kind === 'load-step');
  const key = (target: string, step: number) => `${target}\u0000${step}`;
  const requests = new Map<string, LoadRequestRecord[]>();
  const ends = new Map<string, LoadStepEndRecord>();
  for (const r of records) {
    if (r.kind === 'load-request') {
      const k = key(r.target, r.step);
      const list = requests.get(k);
      if (list) list.push(r);
      else requests.set(k, [r]);
    } else if (r.kind === 'load-step-end') ends.set(key(r.target, r.step), r);
  }
  const end = records.find((r) => r.kind === 'load-end');
  const targets = start.targets.map((t) => {
    const stats = steps
      .filter((s) => s.target === t.name)
      .map((s) => stepStats(s, requests.get(key(s.target, s.step)) ?? [], ends.get(key(s.target, s.step)), start.slo));
    return targetSummary(t.name, stats);
  });
  const measured = targets.flatMap((t) => t.steps).filter((s) => s.role !== 'warmup' && s.skipped === null);
  const rateErrors = measured.flatMap((s) => (s.rateError === null ? [] : [Math.abs(s.rateError)]));
  const jitters = measured.flatMap((s) => (s.jitter ? [s.jitter.p99] : []));
  return {
    start,
    targets,
    reason: end?.kind === 'load-end' ? end.reason : 'unfinished',
    pacing: {
      worstRateError: rateErrors.length ? Math.max(...rateErrors) : null,
      worstJitterP99Ms: jitters.length ? Math.max(...jitters) : null,
    },
  };
}

function targetSummary(name: string, all: StepStats[]): TargetLoadSummary {
  const steps = all.filter((s) => s.role !== 'warmup');
  const ran = steps.filter((s) => s.skipped === null && s.requests > 0);
  const floor = ran.find((s) => s.role === 'floor' || s.mode === 'synchronous');
  const saturation = ran.find((s) => s.role === 'saturation');
  const best = ran.reduce<StepStats | undefined>((m, s) => (m === undefined || s.throughputRps > m.throughputRps ? s : m), undefined);
  const meeting = ran.filter((s) => s.mode === 'rate' && s.slo?.meets && s.offeredRate !== null);
  const top = meeting.reduce<StepStats | undefined>(
    (m, s) => (m === undefined || (s.offeredRate as number) > (m.offeredRate as number) ? s : m),
    undefined,
  );
  return {
    name,
    steps: all,
    floorRps: floor?.throughputRps ?? null,
    saturationRps: (saturation ?? best)?.throughputRps ?? null,
    goodput: top
      ? {
          step: top.step,
          rate: top.offeredRate as number,
          goodputRps: top.slo!.goodputRps,
          throughputRps: top.throughputRps,
          tokensPerMin: top.tokensPerMin,
        }
      : null,
  };
}
