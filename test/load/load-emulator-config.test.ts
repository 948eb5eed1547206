/**
 * `batchbench load` meets the config's `emulator:` block the way `eval` does (startConfiguredEmulator):
 * a valid block starts the emulator with its settings and the fixed key variable, an invalid one is a
 * one-line-per-problem exit 2 naming the config file and the `emulator.` path, beside the config's other
 * problems, and never a crash.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { configSource, tempProject } from '../support/cli-harness.ts';

const TARGETS =
  "[{ name: 'mini', api: 'chat', maxOutputTokens: 16, deployments: [{ baseURL: 'emulator', deployment: 'mini', rpm: 6000 }] }]";
const QUICK = [
  'load',
  '--profile',
  'synchronous',
  '--duration',
  '1s',
  '--max-requests',
  '4',
  '--input-tokens',
  '50',
  '--output-tokens',
  '8',
  '--out',
  'run',
];

describe('batchbench load: the config’s emulator block', () => {
  test('emulator: true is an object error at the `emulator` path of the config file (exit 2, one line)', async () => {
    const p = await tempProject('bb-load-emu-');
    await p.write('eval.config.ts', configSource(`{ targets: ${TARGETS}, emulator: true }`));
    const result = await p.run(QUICK);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^error: \S+eval\.config\.ts: emulator: expected an object of emulator settings, got true \(boolean\)$/),
    ]);
  });

  test('block problems carry the file and the emulator. prefix, one per line, beside other config problems', async () => {
    const p = await tempProject('bb-load-emu-');
    await p.write(
      'eval.config.ts',
      configSource(`{ timeoutMs: 'x', targets: ${TARGETS}, emulator: { deployments: [{ name: 'mini', model: 'gpt-9', capacity: 0 }] } }`),
    );
    const result = await p.run(QUICK);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^error: \S+eval\.config\.ts: 3 problems:$/);
    expect(lines.slice(1).sort()).toEqual([
      expect.stringMatching(/^ {2}emulator\.deployments\[0\]\.capacity: expected a number > 0, got 0$/),
      expect.stringMatching(/^ {2}emulator\.deployments\[0\]\.model: unknown model profile "gpt-9"/),
      expect.stringMatching(/^ {2}timeoutMs: expected /),
    ]);
  });

  test('a valid block runs the load against the emulator it describes, with the key from BATCHBENCH_EMULATOR_KEY', async () => {
    const p = await tempProject('bb-load-emu-');
    // A second deployment only the emulator knows: requests to it succeed only if these settings were used.
    await p.write(
      'eval.config.ts',
      configSource(`{ targets: [{ name: 'other', api: 'chat', maxOutputTokens: 16, deployments: [{ baseURL: 'emulator', deployment: 'only-here', rpm: 6000 }] }],
      emulator: { seed: 2, latencyScale: 0.01, deployments: [{ name: 'only-here', model: 'gpt-4.1-mini', capacity: 100000, heavyTail: false }] } }`),
    );
    const result = await p.run(QUICK, { env: { BATCHBENCH_EMULATOR_KEY: 'fixed-test-key' } });
    expect(result.stderr).not.toMatch(/^error/m);
    expect(result.code).toBe(0);
    const journal = (await readFile(join(p.dir, 'run', 'journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; ok?: boolean; status?: number });
    expect(journal[0]).toMatchObject({ kind: 'load-start', emulator: true });
    const requests = journal.filter((r) => r.kind === 'load-request');
    expect(requests.length).toBeGreaterThan(0);
    expect(JSON.stringify(journal)).not.toContain('fixed-test-key');
  });
});
