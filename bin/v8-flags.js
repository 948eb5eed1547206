// V8 heap and malloc settings for batchbench's batch commands, applied by both launchers (bin/batchbench.js,
// scripts/node.mjs) so every way of starting the CLI runs with the same heap. Plain JavaScript, no imports.
//
// Why: a batch run allocates ~280 KB per cell, almost all of it short-lived (the openai SDK's SSE
// decoding, HTTP headers), while a few hundred requests stay in flight across many scavenges. V8 then
// grows the young generation to its maximum (134 MB committed here) and lets the old generation reach
// ~4x its live size before a full collection: 557 MB peak RSS for 10k rows x 3 targets with ~60 MB live.
// A 16 MB semi-space and an old generation allowed 1.5x its live size brought that to 292 MB for 1.14x
// the wall time (same-method A/B, 4 Dec; README "Memory and throughput", scripts/bench/s10-cli.ts).
// An 8 MB semi-space halves the young generation's committed memory (34 -> 17 MB) at no measurable
// cost in wall time: with the malloc setting below, 100k rows x 3 peaked at 265-267 MiB (three traced
// runs) against 284-287 with 16 MB.
// `batchbench load` keeps V8's defaults: its pacing figures were measured with them.
//
// BATCHBENCH_V8_FLAGS replaces the list (empty: none). Flags the user already gave (on the command
// line or in NODE_OPTIONS) are never overridden.

// --expose-gc lets the run's last step collect between its report writers (src/internal/collect-garbage.ts).
export const BATCH_V8_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50', '--expose-gc'];

/**
 * glibc's malloc for the batch commands. Every allocation of 128 KB or more gets its own mapping, given
 * back to the system when freed. By default glibc raises that threshold to the size of each large block
 * freed (up to 32 MB), so after the first few the growing typed columns of the summary, V8's compiler
 * zones and the socket buffers all land in malloc's arenas, whose holes are rarely returned. In S10
 * (100k rows x 3, 4 Dec, one run each, pmap) malloc's arenas held ~81 MB of RSS a minute into the run,
 * 43 MB of it in the arenas of threads other than the main one; with this setting 45 MB (15 MB), and
 * the run's peak RSS went from 333 to 303 MB.
 * The threads other than the main one (libuv's pool writing the journal and reports, V8's GC and
 * compiler helpers) also share one arena instead of one each (arena_max=2: the main thread's and
 * theirs), so their freed holes serve each other: 100k rows x 3 peaked at 284 and 287 MiB with it,
 * 295 and 311 MiB without (alternating runs, 4 Dec).
 */
export const BATCH_GLIBC_TUNABLES = 'glibc.malloc.mmap_threshold=131072:glibc.malloc.arena_max=2';

/**
 * Environment variables to add for a CLI invocation (read by the C library at process start, so the
 * launchers set them on the process they start). A GLIBC_TUNABLES the user set, even empty, wins; other
 * C libraries ignore the variable.
 * @param {readonly string[]} args CLI arguments (after the script)
 * @param {Record<string, string | undefined>} env
 * @returns {Record<string, string>}
 */
export function batchEnvFor(args, env) {
  if (!isBatchCommand(args) || env.GLIBC_TUNABLES !== undefined) return {};
  return { GLIBC_TUNABLES: BATCH_GLIBC_TUNABLES };
}

/**
 * The V8 flags to add for a CLI invocation.
 * @param {readonly string[]} args CLI arguments (after the script)
 * @param {readonly string[]} execArgv the Node flags already in effect
 * @param {Record<string, string | undefined>} env
 * @returns {string[]}
 */
export function v8FlagsFor(args, execArgv, env) {
  if (!isBatchCommand(args)) return [];
  const wanted = env.BATCHBENCH_V8_FLAGS !== undefined ? env.BATCHBENCH_V8_FLAGS.split(/\s+/).filter(Boolean) : BATCH_V8_FLAGS;
  const given = `${execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`;
  return wanted.filter((flag) => !given.includes(flag.split('=')[0]));
}

/**
 * Every command but `load` (its pacing figures were measured with the defaults) and a bare `--help` or
 * `--version`.
 * @param {readonly string[]} args
 */
function isBatchCommand(args) {
  const command = args.find((arg) => !arg.startsWith('-'));
  return command !== undefined && command !== 'load';
}
