/**
 * A payload-corpus run through the real CLI with credentials smuggled into a custom header and into
 * `extraBody`: no credential-shaped string may reach any file of the run directory (every file is
 * scanned), nor stdout/stderr, while formulas and control characters round-trip through results.csv.
 */
import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { configSource, tempProject } from '../support/cli-harness.ts';

// Built at run time so the repository itself never holds these exact strings.
const AZURE_KEY = ['8f3c2a91d4e6', '4b7a9c1e2f3d5a6b', '7c8d'].join(''); // 32 hex characters
const BEARER = `Bearer ${['tk', 'Zx81Qw2', 'Er5Ty7Ui9'].join('')}`;
const SK = ['sk-proj-', 'Ab12Cd34Ef56Gh78Ij90'].join('');
const JWT = ['eyJhbGciOiJSUzI1NiJ9', 'eyJzdWIiOiJ1c2VyMTIzIn0', 'c2lnbmF0dXJlMTIzNDU2'].join('.');
const LEAKS = [AZURE_KEY, BEARER.slice(7), SK, JWT];
const PYTHON_READER =
  'import csv, json, sys\nwith open(sys.argv[1], newline="", encoding="utf-8") as f:\n    json.dump(list(csv.reader(f)), sys.stdout)\n';

const CORPUS_CSV = [
  'id,question,answer',
  '=x16,=1+1,2',
  'r2,+cmd,-5',
  'r3,@SUM(A1),+3.2',
  '"r4","line one\rline two","1e5"',
  '"r5","crlf\r\nhere","say ""hi"""',
  '"r6","tab\tand, comma","日本語 🙂"',
].join('\n');

describe('secrets in headers and bodies', () => {
  test('never reach any artifact of the run, the console or a message', async () => {
    const project = await tempProject('bb-secrets-');
    await project.write(
      'eval.config.ts',
      configSource(`{
      scorers: ['exact-match'],
      emulator: { seed: 3, latencyScale: 0.01, deployments: [{ name: 'mini', model: 'gpt-4.1-mini', capacity: 1000, accuracy: 0.9 }] },
      targets: [{
        name: 'mini', api: 'chat', maxOutputTokens: 32,
        headers: { 'x-trace': ${JSON.stringify(BEARER)}, 'x-custom-auth': ${JSON.stringify(AZURE_KEY)} },
        extraBody: { metadata: { note: ${JSON.stringify(SK)}, session: ${JSON.stringify(JWT)} } },
        deployments: [{ baseURL: 'emulator', deployment: 'mini' }],
      }],
    }`),
    );
    await project.write('corpus.csv', `${CORPUS_CSV}\n`);
    const run = await project.run(['eval', '--dataset', 'corpus.csv', '--out', 'run']);
    expect(run.stderr).not.toMatch(/^error/m);
    const runDir = join(project.dir, 'run');
    const files = await readdir(runDir);
    expect(files).toEqual(
      expect.arrayContaining(['manifest.json', 'journal.jsonl', 'results.csv', 'report.html', 'junit.xml', 'report.json', 'summary.md']),
    );

    for (const name of files) {
      const text = await readFile(join(runDir, name), 'utf8');
      for (const leak of LEAKS) expect(text.includes(leak), `${name} holds ${leak.slice(0, 6)}…`).toBe(false);
    }
    for (const leak of LEAKS) expect(run.stdout + run.stderr).not.toContain(leak);

    // The manifest still records that headers and a body were configured, masked.
    const manifest = await readFile(join(runDir, 'manifest.json'), 'utf8');
    expect(manifest).toContain('x-custom-auth');
    expect(manifest).toContain('Bearer [redacted]');

    // The corpus round-trips through results.csv: one line per row, formulas neutralised, numbers kept.
    const rows = parse(await readFile(join(runDir, 'results.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.raw_id)).toEqual(['=x16', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(rows.map((r) => r.expected)).toEqual(['2', '-5', '+3.2', '1e5', 'say "hi"', '日本語 🙂']);
    expect(rows.map((r) => r.prompt).slice(0, 5)).toEqual(["'=1+1", "'+cmd", "'@SUM(A1)", 'line one\rline two', 'crlf\r\nhere']);

    // Python's csv module sees exactly the same rows (skipped, with a message, without python3).
    const python = spawnSync('python3', ['-c', PYTHON_READER, join(runDir, 'results.csv')], { encoding: 'utf8' });
    if (python.error) console.warn('python3 not found: the Python csv reader check of the corpus run is skipped');
    else expect(JSON.parse(python.stdout)).toEqual(parse(await readFile(join(runDir, 'results.csv'), 'utf8')));
  });
});
