/**
 * The 100,000-row Global Batch case: the real CLI (a child process) runs one `mode: 'batch'` target over a
 * generated 100k-row CSV against a zero-latency emulator in this process, with a compressed batch
 * lifecycle and an enqueued-token budget that forces several files. Prints the files and jobs the run
 * made (lines, bytes and tokens per file against the limits), the emulator's counters, wall time and the
 * CLI's peak RSS (maxRSS from process.resourceUsage, reported at exit).
 *
 *   node scripts/node.mjs scripts/batch-100k.ts [--rows 100000] [--budget 500000]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from '../src/emulator/server.ts';

const REPO = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, budget: { type: 'string', default: '500000' } } });
const rows = Number(values.rows);
const budget = Number(values.budget);

const emulator = await startEmulator({
  apiKeys: ['k'],
  seed: 1,
  zeroLatency: true,
  batch: { validationMs: 100, finalizingMs: 100 },
  deployments: [
    { name: 'mini-batch', model: 'gpt-4.1-mini', capacity: 1000, sku: 'globalBatch', enqueuedTokens: budget, batchTokensPerMinute: 1e12 },
  ],
});
const dir = await mkdtemp(join(tmpdir(), 'bb-batch-100k-'));
const csv = ['id,question,answer'];
for (let i = 0; i < rows; i++) csv.push(`r${i},What is ${i} plus ${i}?,${2 * i}`);
await writeFile(join(dir, 'qa.csv'), `${csv.join('\n')}\n`);
await writeFile(
  join(dir, 'eval.config.ts'),
  `import { defineConfig } from ${JSON.stringify(join(REPO, 'src/index.ts'))};
export default defineConfig({ scorers: ['exact-match'], targets: [{ name: 'batch', api: 'chat', maxOutputTokens: 8, mode: 'batch',
  batch: { enqueuedTokens: ${budget}, pollIntervalMs: 200 },
  deployments: [{ baseURL: '${emulator.baseURL}', deployment: 'mini-batch', auth: { apiKeyEnv: 'BB_KEY' } }] }] });\n`,
);
await writeFile(
  join(dir, 'rss.mjs'),
  `process.on('exit', () => process.stderr.write('MAXRSS_KB ' + process.resourceUsage().maxRSS + '\\n'));\n`,
);

const out = join(dir, 'run');
const started = performance.now();
const stderr = await new Promise<string>((done) => {
  const child = spawn(
    process.execPath,
    [
      '--import',
      join(dir, 'rss.mjs'),
      join(REPO, 'src/cli/main.ts'),
      'eval',
      '--config',
      join(dir, 'eval.config.ts'),
      '--dataset',
      join(dir, 'qa.csv'),
      '--out',
      out,
      '--quiet',
    ],
    {
      cwd: dir,
      env: { PATH: process.env.PATH, BB_KEY: 'k', CI: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let text = '';
  child.stderr.on('data', (c: Buffer) => (text += c.toString()));
  child.on('exit', () => done(text));
});
const seconds = (performance.now() - started) / 1000;

let results = 0;
const files: Array<{ keys: number; bytes: number; tokens: number }> = [];
for (const line of (await readFile(join(out, 'journal.jsonl'), 'utf8')).split('\n')) {
  if (!line) continue;
  const r = JSON.parse(line) as { kind: string; keys?: string[]; bytes?: number; tokens?: number };
  if (r.kind === 'result') results++;
  if (r.kind === 'batch-file') files.push({ keys: r.keys?.length ?? 0, bytes: r.bytes ?? 0, tokens: r.tokens ?? 0 });
}
const maxRss = Number(/MAXRSS_KB (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024;
console.log(`rows ${rows}, enqueued-token budget ${budget}`);
for (const [i, f] of files.entries())
  console.log(
    `file ${i + 1}: ${f.keys} lines (≤ 100000), ${(f.bytes / 1024 / 1024).toFixed(1)} MB (≤ 200), ${f.tokens} tokens (≤ ${budget})`,
  );
console.log(`results ${results}/${rows}; emulator ${JSON.stringify(emulator.stats().batch)}`);
const notes = stderr
  .split('\n')
  .filter((l) => /retrying|token_limit|error/i.test(l))
  .slice(0, 5);
if (notes.length) console.log(notes.join('\n'));
console.log(`wall ${seconds.toFixed(1)} s; CLI peak RSS ${maxRss.toFixed(0)} MB`);
if (results !== rows || files.some((f) => f.keys > 100_000 || f.tokens > budget)) {
  console.error(stderr.slice(-2000));
  process.exitCode = 1;
}
await emulator.close();
