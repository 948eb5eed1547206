/**
 * The orchestrator: the only module that wires every stage. Prepared dataset → matrix → scheduler →
 * providers → scorers → journal → reporters. Failures of single cells are records; only start-up
 * problems (config, dataset, journal I/O) throw.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createProvider } from '../providers/registry.ts';
import { createHttpFetch } from './load-http-fetch.ts';
import type { ProviderDeps } from '../providers/provider.ts';
import { createScheduler } from '../scheduler/scheduler.ts';
import { createSimpleRunner } from '../scheduler/simple-runner.ts';
import { openJournal } from '../sink/jsonl-journal.ts';
import { systemClock, type Clock } from '../internal/clock.ts';
import { combineWith } from '../internal/follow-signal.ts';
import { redactText } from '../internal/redact.ts';
import type {
  AttemptEvent,
  AttemptRecord,
  DeploymentHandle,
  JournalRecord,
  Reporter,
  Outcome,
  ResultRecord,
  RunEndRecord,
  Scheduler,
  SchedulerStats,
  TargetLane,
  WorkItem,
} from '../types.ts';
import type { PreparedRun } from './prepare-run.ts';
import { createLanes } from './lanes.ts';
import { attemptRecord, judgeAttemptRecord, recoveredOutcome, runStartRecord } from './journal-records.ts';
import { countResult, type RunTally } from './run-tally.ts';
import { createJudge, type Judge } from './judge.ts';
import { scoreOutcome } from './score-outcome.ts';
import { createProgress, type Progress } from './progress.ts';
import type { ResponseCache } from './response-cache.ts';
import { createReportFeed } from '../report/report-feed.ts';
import { startBatchLanes } from './batch/start-batch-lanes.ts';
import { createTierRouter, standardTier } from './flex-tier.ts';

export type { RunTally } from './run-tally.ts';

/** How often the scheduler shows the progress line its deployments' state. @unit milliseconds */
const PROGRESS_SNAPSHOT_MS = 250;

export interface RunEvalOptions {
  readonly prepared: PreparedRun;
  /** The run directory (created if missing). */
  readonly runDir: string;
  readonly runId: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
  /** Every endpoint is the embedded emulator: reports say so. */
  readonly emulator: boolean;
  readonly reporters: ReporterSet;
  /** Aborted by a second Ctrl-C (or after the grace period): requests in flight are abandoned. */
  readonly hardSignal?: AbortSignal;
  /** Terminal output for progress. */
  readonly progressWrite?: (text: string) => void;
  readonly tty: boolean;
  readonly scheduler?: 'adaptive' | 'simple';
  readonly providerDeps?: Partial<ProviderDeps>;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Set when this run covers one shard of the dataset. */
  readonly shard?: { readonly index: number; readonly count: number };
  /**
   * Continue an earlier run: `completed` keys are skipped, `recovered` answers are re-scored without a
   * request, and `seed` records (the earlier journal) are shown to the reporters first — and, when
   * `writeSeed` is set (a new run directory), copied into the new journal.
   */
  readonly resume?: {
    readonly completed: ReadonlySet<string>;
    readonly recovered: ReadonlyMap<string, AttemptRecord>;
    readonly seed?: () => AsyncIterable<JournalRecord>;
    readonly writeSeed?: boolean;
  };
  /** Called once the run directory and journal exist (the CLI writes the run manifest here). */
  readonly onStart?: () => Promise<void>;
  /** How the user continues this run, for printed hints. @default `batchbench eval --resume <runDir>` */
  readonly resumeCommand?: string;
  /** Opt-in response cache (`--cache`). */
  readonly cache?: ResponseCache;
}

export interface RunEvalResult {
  readonly runDir: string;
  readonly end: RunEndRecord;
  /** Counts of final records by status and failure reason. */
  readonly tally: RunTally;
  /** Batch cells of expired or cancelled jobs left unrecorded (end reason `incomplete`). */
  readonly notRun: number;
}

export async function runEval(options: RunEvalOptions): Promise<RunEvalResult> {
  const { prepared } = options;
  const { config } = prepared;
  const clock = options.clock ?? systemClock;
  await mkdir(options.runDir, { recursive: true });
  const journal = await openJournal(join(options.runDir, 'journal.jsonl'), {
    append: Boolean(options.resume && !options.resume.writeSeed),
  });

  await options.onStart?.();

  // Requests go over node:http (load-http-fetch.ts), not the global fetch: the SDK's requests through
  // undici's fetch cost ≈ 16 % more CPU per cell in the CLI against a zero-latency endpoint (S10), and
  // the client's CPU is what bounds a large run. One keep-alive pool serves every deployment.
  const deps: ProviderDeps = { env: options.env, clock, fetch: createHttpFetch(), ...options.providerDeps };
  const targetsByName = new Map(config.targets.map((t) => [t.name, t]));
  const judgesByName = new Map(config.judgeTargets.map((t) => [t.name, t]));
  // One combined signal for the run, not one AbortSignal.any per request (see follow-signal.ts).
  const withHardSignal = combineWith(options.hardSignal);
  const handlesOf = (targetName: string, judge: boolean) => {
    const target = (judge ? judgesByName : targetsByName).get(targetName)!;
    // Flex targets: each completion names its tier; flexFallback moves a refused cell to the standard tier.
    const tiered = createTierRouter(target);
    return target.deployments.map((deployment): DeploymentHandle => {
      const provider = createProvider(target, deployment, deps);
      const execute = tiered?.(provider, () => createProvider(standardTier(target), deployment, deps));
      return {
        id: deployment.id,
        limits: deployment.limits,
        maxConcurrency: deployment.maxConcurrency,
        execute: execute
          ? (item, signal) => execute(item, withHardSignal(signal))
          : (item, signal) => provider.complete(item.input, withHardSignal(signal)),
        checkListed: (signal) => provider.checkListed(withHardSignal(signal)),
      };
    });
  };

  const start = runStartRecord(prepared, {
    runId: options.runId,
    startedAt: new Date(clock.now()).toISOString(),
    emulator: options.emulator,
    ...(options.shard ? { shard: options.shard } : {}),
  });

  const tally: RunTally = { ok: 0, failed: 0, byReason: {}, blocked: new Map() };
  const progress: Progress | undefined = options.progressWrite
    ? createProgress({
        total: prepared.rowCount * config.repeats * config.targets.length,
        tty: options.tty,
        write: options.progressWrite,
        // The scheduler's clock: gate snapshots (pauses, probes) are in its time base.
        now: () => clock.now(),
        targets: config.targets.map((t) => ({ name: t.name, total: prepared.rowCount * config.repeats })),
      })
    : undefined;

  // One serial chain: each record is appended to the journal, then folded and fanned out to the
  // reporters (report-feed.ts), in journal order — the same function `batchbench report DIR` applies.
  const feed = createReportFeed(options.reporters.reporters, options.runDir);
  let chain: Promise<void> = Promise.resolve();
  const record = (entry: JournalRecord, toJournal = true): Promise<void> => {
    chain = chain.then(async () => {
      if (toJournal) await journal.write(entry);
      progress?.observe(entry);
      await feed.push(entry);
    });
    return chain;
  };
  const resume = options.resume;
  let seededStart = false;
  if (resume?.seed) {
    for await (const entry of resume.seed()) {
      // A resumed journal already holds its run-start; a new directory (--retry-errors) copies all of it.
      if (entry.kind === 'run-start') {
        if (seededStart) continue;
        seededStart = true;
      }
      await record(entry, Boolean(resume.writeSeed));
    }
  }
  progress?.begin();
  if (!seededStart) await record(start);
  const write = (entry: JournalRecord) => record(entry);

  const judge: Judge | undefined = config.judgeTargets.length
    ? createJudge(
        config.judgeTargets.map((t) => ({
          name: t.name,
          deployments: handlesOf(t.name, true),
          estimateCost: prepared.estimateCost(t.params),
          resolved: t,
        })),
        {
          cache: options.cache,
          onCached: (entry) => record(entry),
        },
      )
    : undefined;

  const lanes: TargetLane[] = createLanes({
    prepared,
    skipKeys: resume?.completed,
    handlesOf: (name) => handlesOf(name, false),
  });
  const candidateLanes = lanes.length;
  const allLanes = judge ? [...lanes, ...judge.lanes] : lanes;

  // The judge lane stays open while any candidate cell may still need a judgement: until every
  // candidate lane is exhausted and every pulled cell is settled and scored.
  const pendingScores = new Set<Promise<void>>();
  let candidatesOpen = candidateLanes;
  let pulled = 0;
  let settled = 0;
  const maybeCloseJudge = () => {
    if (judge && candidatesOpen === 0 && settled === pulled && pendingScores.size === 0) judge.close();
  };
  const trackedLanes = allLanes.map((lane, index) =>
    index < candidateLanes
      ? {
          ...lane,
          items: counted(
            lane.items,
            () => pulled++,
            (item) => divert(item),
            () => {
              candidatesOpen--;
              maybeCloseJudge();
            },
          ),
        }
      : lane,
  );

  const onAttempt = async (event: AttemptEvent) => {
    // Judge calls are journaled as attempts of their own kind (role 'judge'): measured, never the candidate's.
    await record(judge?.owns(event.item) ? judgeAttemptRecord(event, judge.judgedBy(event.item)) : attemptRecord(event));
  };

  // Scores a settled cell and records it. Aborted cells get no final record: they are not done, and
  // a resume sends them again.
  // A request abandoned by a second Ctrl-C or the grace timeout fails with category 'aborted' (reason
  // 'fatal'): it is just as undone as an interrupted one, so it gets no final record either.
  const stopping = () => options.signal.aborted || options.hardSignal?.aborted === true;
  const settle = async (item: WorkItem, outcome: Outcome, cached = false): Promise<void> => {
    if (outcome.status === 'failed' && (outcome.reason === 'aborted' || (outcome.error.category === 'aborted' && stopping()))) return;
    const target = targetsByName.get(item.target)!;
    const cellJudge = judge?.forCell(item.key);
    const scored = await scoreOutcome(item, outcome, {
      scorers: prepared.scorers,
      target,
      signal: options.signal,
      judge: cellJudge?.call,
      judgeFor: cellJudge?.callFor,
      pass: config.pass,
    });
    // Grading cut short by Ctrl-C is no verdict: no final record, so --resume grades the recovered answer.
    if (options.signal.aborted && scored.status === 'ok' && scored.scores.some((s) => s.status === 'error')) return;
    const result: ResultRecord = cached ? { ...scored, cached: true } : scored;
    countResult(tally, result, outcome);
    await record(result);
    if (!cached && outcome.status === 'ok' && options.cache)
      await options.cache.store(target, outcome.deploymentId, item.input, outcome.completion).catch(() => undefined);
  };

  const track = async (work: Promise<void>): Promise<void> => {
    pendingScores.add(work);
    try {
      await work;
    } finally {
      pendingScores.delete(work);
      settled++;
      maybeCloseJudge();
    }
  };

  const onSettled = async (item: WorkItem, outcome: Outcome) => {
    if (judge?.owns(item)) return judge.settle(item, outcome);
    await track(settle(item, outcome));
  };

  // Cells answered without a request: recovered from an interrupted run's journal, or from the cache.
  const divert = async (item: WorkItem): Promise<boolean> => {
    const recovered = options.resume?.recovered.get(item.key);
    if (recovered) {
      await track(settle(item, recoveredOutcome(recovered)));
      return true;
    }
    if (!options.cache) return false;
    const hit = await options.cache.lookup(targetsByName.get(item.target)!, item.input);
    if (!hit) return false;
    await track(
      settle(item, { status: 'ok', completion: hit.completion, deploymentId: hit.deploymentId, attempts: 0, durationMs: 0 }, true),
    );
    return true;
  };

  const scheduler: Scheduler =
    options.scheduler === 'simple'
      ? createSimpleRunner({ clock, retry: config.retry, concurrencyPerTarget: Math.min(16, config.concurrency) })
      : createScheduler({
          clock,
          ...(options.random ? { random: options.random } : {}),
          retry: config.retry,
          maxInFlight: config.concurrency,
          ...(config.deadlineMs === undefined ? {} : { deadlineMs: config.deadlineMs }),
          // The progress line says why nothing moves (a quota pause, a probe, an open breaker).
          ...(progress ? { diagnostics: { everyMs: PROGRESS_SNAPSHOT_MS, onSnapshot: (gates) => progress.observeGates(gates) } } : {}),
        });

  let stats: SchedulerStats;
  let reason: RunEndRecord['reason'] = 'completed';
  let notRun = 0;
  try {
    // `mode: 'batch'` targets run through Global Batch beside the online scheduler (run/batch/). Their
    // progress lines may quote the service's error text: credential-shaped text is masked.
    const progressWrite = options.progressWrite;
    const batch = startBatchLanes({
      lanes: trackedLanes,
      targets: targetsByName,
      deps,
      clock,
      signal: options.signal,
      runDir: options.runDir,
      resume: Boolean(options.resume),
      settle: (item, outcome) => track(settle(item, outcome)),
      write,
      ...(progressWrite ? { progress: (text: string) => progressWrite(redactText(text)) } : {}),
    });
    stats = await scheduler.run(batch.online, { onAttempt, onSettled }, options.signal);
    const batchEnd = await batch.done;
    const leftRunning = batchEnd.leftRunning;
    notRun = batchEnd.notRun;
    if (leftRunning.length > 0)
      options.progressWrite?.(
        `${leftRunning.length} batch job(s) left running; resume with: ${options.resumeCommand ?? `batchbench eval --resume ${options.runDir}`}\n`,
      );
    await Promise.all(pendingScores);
    if (options.signal.aborted) reason = 'aborted';
    // Expired or cancelled batch jobs left cells unrecorded: the run did not complete, a resume sends them.
    else if (notRun > 0) reason = 'incomplete';
  } catch (error) {
    reason = 'failed';
    stats = { items: 0, attempts: 0, quota429: 0, capacity429: 0, pausedMs: 0, peakInFlight: 0 };
    progress?.stop();
    await journal.close().catch(() => undefined);
    throw error;
  }
  progress?.stop();
  const end: RunEndRecord = { v: 1, kind: 'run-end', endedAt: new Date(clock.now()).toISOString(), reason, stats };
  await record(end);
  await journal.close();
  for (const failure of await feed.finish()) {
    options.reporters.errors.push(
      `reporter ${failure.reporter} failed in ${failure.hook}: ${(failure.error as Error)?.message ?? String(failure.error)}`,
    );
  }
  return { runDir: options.runDir, end, tally, notRun };
}

// --- internal ---

/** Reporters that fail are noted and skipped; they never stop the run or the other reporters. */
export interface ReporterSet {
  readonly reporters: readonly Reporter[];
  readonly errors: string[];
}

/** Counts what a lane pulls, lets `divert` answer a cell without the scheduler, and notes exhaustion. */
async function* counted<T>(
  items: AsyncIterable<T>,
  onItem: () => void,
  divert: (item: T) => Promise<boolean>,
  onDone: () => void,
): AsyncGenerator<T> {
  try {
    for await (const item of items) {
      onItem();
      if (await divert(item)) continue;
      yield item;
    }
  } finally {
    onDone();
  }
}
