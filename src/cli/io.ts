/**
 * The CLI's view of the process: streams, environment, TTY, signals. Commands receive a CliIo instead
 * of touching `process` so tests can run them in-process; main.ts is the only place that builds one
 * from the real process.
 */
export const EXIT = {
  ok: 0,
  /** A quality gate (threshold or baseline regression) failed. */
  thresholds: 1,
  /** Usage, config or dataset error. */
  usage: 2,
  /** The run could not be done in full (auth, missing deployment, exhausted retries, deadline). */
  incomplete: 3,
  /** A bug: full stack printed. */
  internal: 70,
  interrupted: 130,
} as const;

export interface Interrupt {
  /** Aborted by the first Ctrl-C / SIGTERM: stop dispatching, let in-flight requests finish. */
  readonly signal: AbortSignal;
  /** Aborted by a second Ctrl-C, or when the grace period after the first runs out: abandon in-flight requests. */
  readonly hardSignal: AbortSignal;
  dispose(): void;
}

export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isTTY: boolean;
  /** The project's bundled `datasets/` folder. */
  readonly datasetsDir: string;
  stdout(text: string): void;
  stderr(text: string): void;
  interrupt(): Interrupt;
}

/** Grace period for in-flight requests after the first interrupt. @unit milliseconds */
export const INTERRUPT_GRACE_MS = 30_000;

export function processInterrupt(write: (text: string) => void): Interrupt {
  const soft = new AbortController();
  const hard = new AbortController();
  let grace: NodeJS.Timeout | undefined;
  const onSignal = (name: string) => {
    if (!soft.signal.aborted) {
      write(
        `\n${name}: stopping; waiting up to ${INTERRUPT_GRACE_MS / 1000}s for requests in flight (press Ctrl-C again to abandon them)\n`,
      );
      soft.abort(new Error(name));
      grace = setTimeout(() => hard.abort(new Error('grace period over')), INTERRUPT_GRACE_MS);
      grace.unref();
    } else if (!hard.signal.aborted) {
      write(`\n${name}: abandoning requests in flight\n`);
      hard.abort(new Error(name));
    }
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: soft.signal,
    hardSignal: hard.signal,
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      if (grace) clearTimeout(grace);
    },
  };
}
