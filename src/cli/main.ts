#!/usr/bin/env node
/**
 * The batchbench command line. The sole owner of `process`: it parses argv with yargs, runs a command,
 * maps errors to exit codes (2 for user mistakes with a one-line message, 70 for bugs with a stack) and
 * sets `process.exitCode`.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { BenchError, ConfigError, DatasetError, UsageError } from '../errors.ts';
import { redactText, redactUrls } from '../internal/redact.ts';
import { evalCommand } from './commands/eval.ts';
import { reportCommand } from './commands/report.ts';
import { batchCommand } from './commands/batch.ts';
import { runEmulatorCommand } from './commands/emulator.ts';
import { mergeCommand } from './commands/merge.ts';
import { compareCommand } from './commands/compare.ts';
import { initCommand } from './commands/init.ts';
import { missingArgumentsMessage, unknownFlagMessage, type KnownOptions } from './flag-suggestions.ts';
import { EXIT, processInterrupt, type CliIo } from './io.ts';

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  let exitCode: number = EXIT.ok;
  const parser = yargs([...argv])
    .scriptName('batchbench')
    .usage('$0 <command> [options]')
    .command(
      'eval',
      'Run a dataset through every target and write journal, CSV and reports',
      (y) =>
        y
          .option('dataset', {
            alias: 'd',
            type: 'string',
            describe: 'CSV or JSONL file (looked up in the working directory, then datasets/)',
          })
          .option('config', {
            alias: 'c',
            type: 'string',
            describe: 'Config file',
            default: undefined,
            defaultDescription: 'eval.config.ts',
          })
          .option('targets', { alias: 't', type: 'string', array: true, describe: 'Only these targets (by name)' })
          .option('limit', { alias: 'n', type: 'number', describe: 'Read at most N rows' })
          .option('repeats', { alias: 'r', type: 'number', describe: 'Samples per (row, target)' })
          .option('concurrency', { type: 'number', describe: 'Global cap on requests in flight' })
          .option('out', { alias: 'o', type: 'string', describe: 'Run directory', defaultDescription: 'reports/<timestamp>-<dataset>/' })
          .option('shard', { type: 'string', describe: 'Run only shard I of N (e.g. 2/4); rows are split by a hash of their id' })
          .option('resume', { type: 'string', describe: 'Continue an interrupted run in DIR; cells already recorded are not sent again' })
          .option('retry-errors', {
            type: 'string',
            describe: 'Re-run only the cells whose final record in DIR is an error, into a new run directory',
          })
          .option('cache', {
            type: 'boolean',
            describe: 'Reuse identical earlier responses (keyed by endpoint, deployment, API and request body)',
          })
          .option('baseline', {
            type: 'string',
            describe: 'Compare with a baseline (NAME in reports/baselines/, a .json file, or a run directory); a regression exits 1',
          })
          .option('save-baseline', {
            type: 'string',
            describe: 'Save this run as baseline NAME (reports/baselines/NAME.json) or to a .json path',
          })
          .option('scheduler', { choices: ['adaptive', 'simple'] as const, describe: 'Dispatch strategy', default: 'adaptive' as const })
          .option('quiet', { alias: 'q', type: 'boolean', describe: 'No progress or summary; only the run directory' })
          .option('json', { type: 'boolean', describe: 'Print a machine-readable result on stdout' })
          .example('$0 eval --dataset qa.csv', 'Compare the targets of eval.config.ts on datasets/qa.csv')
          .example('$0 eval -d qa.csv -t gpt-4.1-mini -n 20', 'Quick check of one target on 20 rows')
          .example('$0 eval -d chat.jsonl --repeats 3 --out reports/nightly', 'Three samples per row into a fixed directory')
          .example('$0 eval --resume reports/2026-11-22T10-00-00Z-qa', 'Continue an interrupted run')
          .example('$0 eval -d qa.csv --baseline nightly', 'Fail (exit 1) when a target regressed against reports/baselines/nightly.json')
          .check((a) => checkPositive(a, ['limit', 'repeats', 'concurrency'])),
      async (a) => {
        exitCode = await evalCommand(
          {
            config: a.config,
            dataset: a.dataset,
            targets: a.targets?.flatMap((t) => String(t).split(',')).filter(Boolean),
            limit: a.limit,
            repeats: a.repeats,
            concurrency: a.concurrency,
            out: a.out,
            quiet: a.quiet,
            json: a.json,
            scheduler: a.scheduler,
            shard: a.shard,
            resume: a.resume,
            retryErrors: a['retry-errors'],
            cache: a.cache,
            baseline: a.baseline,
            saveBaseline: a['save-baseline'],
          },
          io,
        );
      },
    )
    .command(
      'init',
      'Write a starter eval.config.ts and datasets/example.csv into the working directory (never overwrites)',
      (y) => y.example('$0 init', 'Then: batchbench eval --dataset datasets/example.csv'),
      async () => {
        exitCode = await initCommand(io);
      },
    )
    .command(
      'report <runDir>',
      'Re-render every report of a run from its journal (no requests sent)',
      (y) => y.positional('runDir', { type: 'string', demandOption: true, describe: 'Run directory containing journal.jsonl' }),
      async (a) => {
        exitCode = await reportCommand({ runDir: String(a.runDir) }, io);
      },
    )
    .command(
      'batch <action> <runDir>',
      "Show (status) or cancel (cancel) a run's Global Batch jobs",
      (y) =>
        y
          .positional('action', {
            type: 'string',
            choices: ['status', 'cancel'] as const,
            demandOption: true,
            describe: 'status or cancel',
          })
          .positional('runDir', { type: 'string', demandOption: true, describe: 'Run directory containing journal.jsonl' }),
      async (a) => {
        exitCode = await batchCommand({ action: a.action === 'cancel' ? 'cancel' : 'status', runDir: String(a.runDir) }, io);
      },
    )
    .command(
      'compare [baseline] [run]',
      'Compare a run with a baseline; exit 1 when a target regressed',
      (y) =>
        y
          .positional('baseline', { type: 'string', describe: 'Baseline NAME (reports/baselines/NAME.json), .json file or run directory' })
          .positional('run', { type: 'string', describe: 'Run directory (or a baseline file) to judge' })
          .option('config', {
            alias: 'c',
            type: 'string',
            describe: 'Config whose `regression` limits apply',
            defaultDescription: 'eval.config.ts if present',
          })
          .option('json', { type: 'boolean', describe: 'Print the comparison as JSON' })
          .example('$0 compare nightly reports/nightly', 'Judge the merged nightly run against the committed baseline'),
      async (a) => {
        exitCode = await compareCommand(
          { baseline: a.baseline, run: a.run, ...(a.config ? { config: a.config } : {}), ...(a.json ? { json: true } : {}) },
          io,
        );
      },
    )
    .command(
      'merge <dirs..>',
      'Combine the run directories of `eval --shard i/n` into one run directory and report',
      (y) =>
        y
          .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'Shard run directories (any order)' })
          .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'Merged run directory (must not exist or be empty)' })
          .option('quiet', { alias: 'q', type: 'boolean', describe: 'No console summary' })
          .example('$0 merge reports/shard-* --out reports/nightly', 'Merge the four shards of a nightly run'),
      async (a) => {
        exitCode = await mergeCommand({ dirs: (a.dirs ?? []).map(String), out: String(a.out), quiet: a.quiet }, io);
      },
    )
    .command(
      'load',
      'Benchmark targets under load: latency and throughput per step, saturation, SLO goodput',
      (y) =>
        y
          .option('config', { alias: 'c', type: 'string', describe: 'Config file', defaultDescription: 'eval.config.ts' })
          .option('targets', { alias: 't', type: 'string', array: true, describe: 'Only these targets (measured one after another)' })
          .option('profile', {
            alias: 'p',
            type: 'string',
            default: 'sweep',
            describe: 'synchronous | concurrency N[,M] | rate R[,S] | sweep | goodput',
          })
          .option('rate', { type: 'number', array: true, describe: 'Rates (req/s) for --profile rate' })
          .option('concurrency', { type: 'number', array: true, describe: 'Levels for --profile concurrency' })
          .option('steps', { type: 'number', describe: 'Sweep: steps in all (floor, saturation, rates); goodput: grid size', default: 6 })
          .option('duration', { type: 'string', default: '20s', describe: 'Length of each step (e.g. 20s, 500ms, 2m)' })
          .option('max-requests', { type: 'number', describe: 'Cap on requests per step (default 100000)' })
          .option('arrivals', {
            choices: ['constant', 'poisson'] as const,
            describe: 'Open-loop arrival process',
            default: 'constant' as const,
          })
          .option('slo', { type: 'string', describe: 'Latency objective, e.g. ttft=500ms,e2e=2s,p=99' })
          .option('rate-range', { type: 'string', describe: 'Goodput search range MIN:MAX req/s (default: measured floor to saturation)' })
          .option('dataset', { alias: 'd', type: 'string', describe: "Send this dataset's prompts (cycled) instead of synthetic ones" })
          .option('limit', { alias: 'n', type: 'number', describe: 'Read at most N dataset rows' })
          .option('input-tokens', { type: 'number', describe: 'Synthetic prompt size (o200k tokens)', defaultDescription: '1000' })
          .option('output-tokens', {
            type: 'number',
            describe: 'max_tokens for every request (pins the output length)',
            defaultDescription: '200 for synthetic prompts',
          })
          .option('spread', { type: 'number', describe: 'Relative spread of the synthetic input length, e.g. 0.2' })
          .option('warmup', { type: 'string', describe: 'Synchronous warm-up per target, excluded from results (e.g. 5s)' })
          .option('workers', { type: 'number', describe: 'Transport worker threads (0 = main thread)', default: 0 })
          .option('saturation-concurrency', { type: 'number', describe: 'In-flight requests of the saturation step', default: 64 })
          .option('allow-429', { type: 'boolean', describe: 'Run open-loop steps above a known TPM/RPM anyway' })
          .option('out', { alias: 'o', type: 'string', describe: 'Run directory' })
          .option('seed', { type: 'string', describe: 'Seed for Poisson arrivals and synthetic prompt lengths', default: '1' })
          .option('quiet', { alias: 'q', type: 'boolean', describe: 'No progress lines' })
          .example('$0 load -t gpt-4.1-mini --profile sweep --steps 6 --duration 20s', 'Floor, saturation and four rates in between')
          .example('$0 load -t gpt-4.1-mini --profile goodput --slo ttft=500ms,e2e=2s', 'Highest rate whose p99 meets the SLO')
          .example(
            '$0 load --profile "rate 5,10" --arrivals poisson --input-tokens 1000 --output-tokens 200',
            'Two open-loop Poisson steps',
          )
          .check((a) => checkPositive(a, ['steps', 'max-requests', 'limit', 'input-tokens', 'output-tokens', 'saturation-concurrency'])),
      async (a) => {
        // Imported on use: `load` brings the emulator and a tokenizer (~100 MB of RSS) that `eval` never needs.
        const { loadCommand } = await import('./commands/load.ts');
        exitCode = await loadCommand(
          {
            config: a.config,
            targets: a.targets?.flatMap((t) => String(t).split(',')).filter(Boolean),
            profile: String(a.profile),
            rate: a.rate,
            concurrency: a.concurrency,
            steps: a.steps,
            duration: String(a.duration),
            maxRequests: a['max-requests'],
            arrivals: a.arrivals,
            slo: a.slo,
            rateRange: a['rate-range'],
            dataset: a.dataset,
            limit: a.limit,
            inputTokens: a['input-tokens'],
            outputTokens: a['output-tokens'],
            spread: a.spread,
            warmup: a.warmup,
            workers: a.workers,
            saturationConcurrency: a['saturation-concurrency'],
            allow429: a['allow-429'],
            out: a.out,
            seed: a.seed,
            quiet: a.quiet,
          },
          io,
        );
      },
    )
    .command(
      'emulator',
      'Start the embedded Azure OpenAI v1 emulator on 127.0.0.1 (Ctrl-C stops it)',
      (y) =>
        y
          .option('config', { alias: 'c', type: 'string', describe: 'Emulator config (JSON or a module exporting one)' })
          .option('port', { alias: 'p', type: 'number', describe: 'Port (default: a free one)' })
          .option('answers', {
            alias: 'a',
            type: 'string',
            array: true,
            describe: "Dataset(s) whose expected-answer column becomes the answer key (the simulated models 'know' those answers)",
          })
          .option('key', {
            alias: 'k',
            type: 'string',
            describe: 'The API key to accept',
            defaultDescription: "$BATCHBENCH_EMULATOR_KEY, else the config's apiKeys, else random",
          })
          .example('$0 emulator --answers my.csv --key local-key --port 8089', 'A standalone emulator that knows the answers of my.csv'),
      async (a) => {
        const interrupt = io.interrupt();
        try {
          await runEmulatorCommand({
            ...(a.config ? { config: String(a.config) } : {}),
            ...(a.port === undefined ? {} : { port: Number(a.port) }),
            ...(a.answers?.length ? { answers: a.answers.map(String) } : {}),
            ...(a.key === undefined ? {} : { key: String(a.key) }),
            env: io.env,
            cwd: io.cwd,
            print: (line) => io.stdout(`${line}\n`),
            signal: interrupt.signal,
          });
        } finally {
          interrupt.dispose();
        }
      },
    )
    .demandCommand(1, 'name a command: init, eval, load, report, batch, compare, merge or emulator')
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, error) => {
      if (error) throw error;
      // yargs knows the options of the command being parsed at this point, so a typo gets a suggestion.
      throw new UsageError(
        unknownFlagMessage(message, (parser as unknown as { getOptions(): KnownOptions }).getOptions(), argv) ??
          missingArgumentsMessage(message, argv) ??
          message,
      );
    });

  await parser.parseAsync();
  return exitCode;
}

/** Runs a command line to an exit code: like `main`, but failures become their message and code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await main(argv, io);
  } catch (error) {
    const failure = describeFailure(error);
    io.stderr(`${failure.text}\n`);
    return failure.code;
  }
}

/**
 * Maps an error to its exit code and the text the user sees: one line for mistakes, a stack for bugs.
 * Credentials never reach the terminal: our own messages may quote a URL (masked inside the URL only,
 * so a path such as `auth.apiKey:` stays readable); run-time errors and stacks may quote a server or a
 * header, so all of their text is masked.
 */
export function describeFailure(error: unknown): { code: number; text: string } {
  if (error instanceof ConfigError || error instanceof DatasetError || error instanceof UsageError) {
    return { code: EXIT.usage, text: `error: ${redactUrls(error.message)}` };
  }
  if (error instanceof BenchError && error.code === 'E_EMULATOR_CONFIG')
    return { code: EXIT.usage, text: `error: ${redactUrls(error.message)}` };
  if (error instanceof Error && error.name === 'EmulatorConfigError')
    return { code: EXIT.usage, text: `error: ${redactUrls(error.message)}` };
  if (error instanceof BenchError) return { code: EXIT.incomplete, text: `error: ${redactText(error.message)}` };
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { code: EXIT.internal, text: redactText(`internal error (a bug in batchbench; please report it):\n${stack}`) };
}

function checkPositive(args: Record<string, unknown>, names: readonly string[]): true {
  for (const name of names) {
    const value = args[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      const shown = typeof value === 'number' && Number.isNaN(value) ? 'something that is not a number' : JSON.stringify(value);
      throw new UsageError(`--${name}: expected a whole number ≥ 1, got ${shown}`);
    }
  }
  return true;
}

/** The package's version (package.json sits two levels up from both src/cli/ and the built dist/cli/). */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return String((JSON.parse(text) as { version?: unknown }).version);
}

// --- process entry point ---

/**
 * Runs the CLI on the real process. Used when this file is the entry point (`node src/cli/main.ts`, the
 * npm scripts) and by the package's bin launcher (bin/batchbench.js).
 */
export async function runProcess(): Promise<void> {
  const stdout = quietOnEpipe(process.stdout);
  const stderr = quietOnEpipe(process.stderr);
  const io: CliIo = {
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY) && process.env.CI !== 'true',
    datasetsDir: fileURLToPath(new URL('../../datasets/', import.meta.url)),
    stdout,
    stderr,
    interrupt: () => processInterrupt(stderr),
  };
  process.exitCode = await runCli(hideBin(process.argv), io);
}

/**
 * A writer that goes quiet once the reader is gone (`batchbench report DIR | head`): the EPIPE is
 * swallowed instead of crashing with a stack trace, later output is dropped, and the command still
 * finishes its work (an eval keeps writing its journal and reports) with its own exit code.
 */
function quietOnEpipe(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && !closed) throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) await runProcess();
