/**
 * Crash safety: the real CLI in a child process is killed with SIGKILL three times during a run against
 * the emulator (which outlives the children), at points chosen by the journal's content, then resumed.
 * The contract is exact: every cell ends with one final record, no cell that had a final record is ever
 * sent again, and each kill costs at most the requests it cut off in flight (a response the server
 * finished an instant before the kill, but not yet journaled, is one of those: without server-side
 * idempotency any client would send it again).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/server.ts';
import { REPO, configSource, qaCsv, tempProject, type TempProject } from '../support/cli-harness.ts';
import { foldJournal, rerenderDiffers, reportFigures } from '../support/path-run.ts';

const ROWS = 30;

let emulator: EmulatorHandle;
let project: TempProject;

beforeAll(async () => {
  // Real latency (~0.4 s per request) and few requests in flight, so a run spans several seconds.
  emulator = await startEmulator({
    seed: 11,
    apiKeys: ['test-key'],
    deployments: [{ name: 'mini', model: 'gpt-4.1-mini', capacity: 1000, accuracy: 0.9, heavyTail: false }],
  });
  project = await tempProject('bb-kill-');
  await project.write('qa.csv', qaCsv(ROWS));
  await project.write(
    'eval.config.ts',
    configSource(`{
      scorers: ['exact-match'],
      targets: [{ name: 'mini', api: 'chat', maxOutputTokens: 16,
        deployments: [{ baseURL: process.env.BB_URL!, deployment: 'mini', auth: { apiKeyEnv: 'BB_KEY' }, maxConcurrency: 3 }] }],
    }`),
  );
});

afterAll(async () => {
  await emulator?.close();
});

const JOURNAL = () => join(project.dir, 'run', 'journal.jsonl');
const MAX_IN_FLIGHT = 3; // the config's maxConcurrency: at most this many requests can be cut by a kill

interface Line {
  kind: string;
  key?: string;
  role?: string;
}

/** The journal's whole lines (a torn last line, if any, is not a record). */
function journalLines(): Line[] {
  if (!existsSync(JOURNAL())) return [];
  return readFileSync(JOURNAL(), 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        return line.trim() === '' ? [] : [JSON.parse(line) as Line];
      } catch {
        return [];
      }
    });
}

const resultCount = () => (existsSync(JOURNAL()) ? readFileSync(JOURNAL(), 'utf8').split('"kind":"result"').length - 1 : 0);

/**
 * Runs the CLI in a child; with `killAtResults`, SIGKILLs it once the journal holds that many final
 * records — triggered by journal content, not a timer, so machine load cannot move the kill past the end.
 */
function runChild(args: string[], killAtResults?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(REPO, 'src/cli/main.ts'), 'eval', '--config', join(project.dir, 'eval.config.ts'), '--quiet', ...args],
      {
        cwd: project.dir,
        env: { PATH: process.env.PATH, BB_URL: emulator.baseURL, BB_KEY: 'test-key', CI: 'true' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const poll =
      killAtResults === undefined
        ? undefined
        : setInterval(() => {
            if (resultCount() >= killAtResults) child.kill('SIGKILL');
          }, 5);
    child.on('exit', (code, signal) => {
      if (poll) clearInterval(poll);
      resolve({ code, signal, stderr });
    });
  });
}

/** Requests the emulator received, once every handler it started has finished (the child is gone). */
async function settledReceived(): Promise<number> {
  let last = -1;
  for (;;) {
    const stats = emulator.stats().deployments.mini!;
    if (stats.inFlight === 0 && stats.received === last) return last;
    last = stats.inFlight === 0 ? stats.received : -1;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('kill -9 and --resume', () => {
  test('no cell with a final record is sent again, and a resume re-sends at most what a kill cut off', async () => {
    const sessions: Array<{ lines: number; received: number; killed: boolean }> = [];
    const before = { lines: 0, received: await settledReceived() };
    // Kills land after 6, 14 and 22 of the 30 final records: the journal decides, not the clock.
    const plan: Array<{ args: string[]; killAt?: number }> = [
      { args: ['--dataset', 'qa.csv', '--out', join(project.dir, 'run')], killAt: 6 },
      { args: ['--resume', join(project.dir, 'run')], killAt: 14 },
      { args: ['--resume', join(project.dir, 'run')], killAt: 22 },
      { args: ['--resume', join(project.dir, 'run')] },
    ];
    let last: Awaited<ReturnType<typeof runChild>> | undefined;
    for (const step of plan) {
      last = await runChild(step.args, step.killAt);
      expect(last.stderr).not.toMatch(/^error/m);
      sessions.push({ lines: journalLines().length, received: await settledReceived(), killed: last.signal === 'SIGKILL' });
    }
    expect(last?.code).toBe(0);
    expect(sessions.slice(0, 3).every((s) => s.killed)).toBe(true);

    const journal = journalLines();
    const results = journal.filter((r) => r.kind === 'result');
    const keys = results.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(ROWS);

    // (1) A cell that has a final record is never sent again: no attempt for it after that record.
    const finalAt = new Map<string, number>();
    journal.forEach((r, i) => {
      if (r.kind === 'result') finalAt.set(r.key!, i);
    });
    const sentAfterFinal = journal.filter((r, i) => r.kind === 'attempt' && finalAt.has(r.key!) && i > finalAt.get(r.key!)!);
    expect(sentAfterFinal).toHaveLength(0);

    // (2) Per session: requests the emulator received minus attempts the journal recorded are the
    // requests a kill cut off — none for the session that finished, at most the in-flight cap per kill.
    let previous = before;
    let cut = 0;
    for (const session of sessions) {
      const attempts = journal.slice(previous.lines, session.lines).filter((r) => r.kind === 'attempt').length;
      const lost = session.received - previous.received - attempts;
      expect(lost).toBeGreaterThanOrEqual(0);
      expect(lost).toBeLessThanOrEqual(session.killed ? MAX_IN_FLIGHT : 0);
      cut += lost;
      previous = session;
    }
    // Re-sent on resume: only cells a kill cut off (no final record), never more than were cut.
    const stats = emulator.stats().deployments.mini!;
    expect(stats.duplicateCompletions).toBeLessThanOrEqual(cut);
    expect(stats.received - before.received).toBe(journal.filter((r) => r.kind === 'attempt').length + cut);

    // The kill -9 path of issue 9 §1: the reports re-render byte for byte and match the journal.
    const runDir = join(project.dir, 'run');
    expect(await rerenderDiffers(project.dir, runDir)).toEqual([]);
    const fold = await foldJournal(runDir);
    const report = await reportFigures(runDir);
    expect(report.targets.get('mini')).toEqual(fold.targets.get('mini'));
    expect(report.attempts).toBe(fold.attempts);
  }, 120_000);
});
