/**
 * A hostile-input corpus against the real CLI: each user mistake must end in exit 2 with one line (one
 * line per problem when there are several) that names the file, config path or flag and says what was
 * expected — never a stack, never raw bytes, never a green run on an emptied file. Plus the two
 * run-time messages of the same family: a wrong key leads with its cause (exit 3), and piping into a
 * closed reader prints no EPIPE stack.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO, configSource, qaCsv, tempProject, type CliResult, type TempProject } from '../support/cli-harness.ts';

const EMULATOR = "{ seed: 1, latencyScale: 0, deployments: [{ name: 'm', model: 'gpt-4.1-mini', capacity: 1000, accuracy: 1 }] }";
const TARGETS = "[{ name: 'mini', api: 'chat', maxOutputTokens: 16, deployments: [{ baseURL: 'emulator', deployment: 'm' }] }]";

/** A project with a working config and qa.csv; `body` replaces the config's object literal. */
async function project(body = `{ targets: ${TARGETS}, emulator: ${EMULATOR} }`): Promise<TempProject> {
  const p = await tempProject('bb-hostile-');
  await p.write('eval.config.ts', configSource(body));
  await p.write('qa.csv', qaCsv(3));
  return p;
}

/** Exit 2, nothing on stdout, and a single `error: …` line on stderr. */
function expectOneLine(result: CliResult): string {
  expect(result.code).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

describe('hostile inputs: exit 2, one line, names the thing', () => {
  test('emulator: true is an object error at the `emulator` path of the config file', async () => {
    const p = await project(`{ targets: ${TARGETS}, emulator: true }`);
    const line = expectOneLine(await p.run(['eval', '--dataset', 'qa.csv']));
    expect(line).toMatch(/eval\.config\.ts: emulator: expected an object of emulator settings, got true/);
  });

  test('emulator block problems carry the file and the emulator. prefix, one per line, beside other config problems', async () => {
    const p = await project(`{ repeats: 0, targets: ${TARGETS}, emulator: { deployments: [{ name: 'm', model: 'gpt-9', capacity: 0 }] } }`);
    const result = await p.run(['eval', '--dataset', 'qa.csv']);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^error: \S+eval\.config\.ts: 3 problems:$/);
    expect(lines.slice(1).sort()).toEqual([
      expect.stringMatching(/^ {2}emulator\.deployments\[0\]\.capacity: expected a number > 0, got 0$/),
      expect.stringMatching(/^ {2}emulator\.deployments\[0\]\.model: unknown model profile "gpt-9" \(known: .*gpt-4\.1-mini/),
      '  repeats: expected an integer ≥ 1, got 0 (number)',
    ]);
  });

  test('nine config problems on one long line come back one per line', async () => {
    const body = `{ repeats: 0, concurrency: -1, timeoutMs: 'x', outDir: '', system: 5, slo: { ttftMs: -1 }, thresholds: { accuracy: 2 }, deadlineMs: 0, targets: [{ name: 'a', temperature: 9, deployments: [{ baseURL: 'emulator', deployment: 'm' }] }], emulator: ${EMULATOR} }`;
    const p = await project(body);
    const result = await p.run(['eval', '--dataset', 'qa.csv']);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/eval\.config\.ts: 9 problems:$/);
    expect(lines.slice(1)).toHaveLength(9);
    for (const line of lines.slice(1))
      expect(line).toMatch(
        /^ {2}(repeats|concurrency|timeoutMs|outDir|system|slo\.ttftMs|thresholds\.accuracy|deadlineMs|targets\[0\]\.temperature): expected /,
      );
  });

  test.each([
    [
      'a binary file',
      Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\x00'), Buffer.alloc(64, 0), Buffer.from('id,question\n')]),
      /data\.csv: is a binary file, not a UTF-8 text CSV file; export it as UTF-8 CSV/,
    ],
    [
      'a renamed .xlsx',
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), Buffer.from('[Content_Types].xml')]),
      /data\.csv: is a zip archive \(an \.xlsx workbook saved under another name\?\)/,
    ],
    [
      'UTF-16 without a BOM',
      Buffer.from('id,question,answer\nq1,What is 2+2?,4\n', 'utf16le'),
      /data\.csv: is UTF-16LE text without a byte-order mark/,
    ],
    [
      'a ;-delimited CSV',
      Buffer.from('id;question;answer\nq1;What is 2+2?;4\n'),
      /data\.csv:1: the header is one column but contains ";": the file looks semicolon-separated.*save it comma-separated/,
    ],
    ['a header-only CSV', Buffer.from('id,question,answer\n'), /data\.csv: no data rows \(only a header\)/],
  ])('%s as --dataset', async (_name, bytes, expected) => {
    const p = await project();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(p.dir, 'data.csv'), bytes);
    expect(expectOneLine(await p.run(['eval', '--dataset', 'data.csv']))).toMatch(expected);
  });

  test('a directory as --dataset says it is one and what it holds', async () => {
    const p = await project();
    await mkdir(join(p.dir, 'data'));
    await p.write('data/qa.csv', qaCsv(2));
    expect(expectOneLine(await p.run(['eval', '--dataset', 'data']))).toMatch(
      /^error: data: is a directory \(it holds qa\.csv\); expected a dataset file/,
    );
  });

  test('rows filtered away by --shard are not an empty dataset: the run says so and exits 0', async () => {
    const p = await project();
    await p.write('one.csv', 'id,question,answer\nonly,What is 1 plus 1?,2\n');
    const results = await Promise.all(
      [1, 2, 3, 4].map((index) =>
        p.run(['eval', '--dataset', 'one.csv', '--shard', `${index}/4`, '--quiet', '--out', `reports/s${index}`]),
      ),
    );
    expect(results.map((result) => result.code)).toEqual([0, 0, 0, 0]);
    const empty = results.filter((result) => result.stderr.includes('runs nothing'));
    expect(empty).toHaveLength(3);
    expect(empty[0]!.stderr).toMatch(/^--shard \d\/4: none of the 1 rows of one\.csv falls in shard \d of 4; this shard runs nothing\n$/);
  });

  test('a scorer option typo gets "did you mean"', async () => {
    const p = await project(`{ scorers: [['numeric', { tolerence: 0.1 }]], targets: ${TARGETS}, emulator: ${EMULATOR} }`);
    expect(expectOneLine(await p.run(['eval', '--dataset', 'qa.csv']))).toMatch(
      /^error: \S+eval\.config\.ts: scorers\[0\]\.tolerence: unknown option \(did you mean "tolerance"\?\)/,
    );
  });

  // Scorer options and templates are checked once the dataset is open (prepare-run.ts), yet they are
  // config mistakes: the line names the config file and the config path, like every other one.
  test.each([
    [
      'an invalid regex pattern',
      `['exact-match', ['regex', { pattern: '(' }]]`,
      /^error: \S+eval\.config\.ts: scorers\[1\]\.pattern: invalid regular expression \/\(\/ /,
    ],
    [
      'a scorer option of the wrong type',
      `[['numeric', { tolerance: 'x' }]]`,
      /^error: \S+eval\.config\.ts: scorers\[0\]\.tolerance: expected a number ≥ 0, got "x"$/,
    ],
    [
      'a JSON schema that is not an object',
      `[['json-schema', { schema: 5 }]]`,
      /^error: \S+eval\.config\.ts: scorers\[0\]\.schema: expected a JSON Schema object, got 5 \(number\)$/,
    ],
  ])('%s names the config file and scorers[i].option', async (_name, scorers, expected) => {
    const p = await project(`{ scorers: ${scorers}, targets: ${TARGETS}, emulator: ${EMULATOR} }`);
    expect(expectOneLine(await p.run(['eval', '--dataset', 'qa.csv']))).toMatch(expected);
  });

  test('a template placeholder naming no column names the config file, the prompt and the dataset’s columns', async () => {
    const p = await project(`{ prompt: 'Q: {{questoin}}', targets: ${TARGETS}, emulator: ${EMULATOR} }`);
    expect(expectOneLine(await p.run(['eval', '--dataset', 'qa.csv']))).toMatch(
      /^error: \S+eval\.config\.ts: prompt: the template uses \{\{questoin\}\} but qa\.csv has columns id, question, answer \(did you mean \{\{question\}\}\?\)$/,
    );
  });

  test('a CLI flag typo gets "did you mean"', async () => {
    const p = await project();
    expect(expectOneLine(await p.run(['eval', '--datset', 'qa.csv']))).toBe('error: --datset: unknown flag (did you mean --dataset?)');
  });

  test('an unclosed template placeholder is caught, not sent literally', async () => {
    const p = await project(`{ prompt: 'Q: {{question', targets: ${TARGETS}, emulator: ${EMULATOR} }`);
    expect(expectOneLine(await p.run(['eval', '--dataset', 'qa.csv']))).toMatch(
      /^error: \S+eval\.config\.ts: prompt: unclosed placeholder "\{\{question" at column 4 of the template \(did you mean \{\{question\}\}\?\)/,
    );
  });

  test('compare with missing arguments says what it takes', async () => {
    const p = await project();
    expect(expectOneLine(await p.run(['compare']))).toMatch(
      /^error: compare: missing <baseline> and <run>; usage: batchbench compare <baseline> <run>/,
    );
    expect(expectOneLine(await p.run(['compare', 'nightly']))).toMatch(/^error: compare: missing <run>;/);
  });

  test('--resume of a path that does not exist', async () => {
    const p = await project();
    expect(expectOneLine(await p.run(['eval', '--resume', 'reports/nope']))).toMatch(/reports[\\/]nope: no such run directory/);
  });

  test('an apiKeyEnv variable set to the empty string', async () => {
    const p = await project(
      `{ targets: [{ name: 'a', deployments: [{ baseURL: 'https://x.openai.azure.com/openai/v1/', deployment: 'm', auth: { apiKeyEnv: 'MY_KEY' } }] }] }`,
    );
    expect(expectOneLine(await p.run(['eval', '--dataset', 'qa.csv'], { env: { MY_KEY: '' } }))).toMatch(
      /targets\[0\]\.deployments\[0\]\.auth\.apiKeyEnv: environment variable MY_KEY is set but empty/,
    );
  });

  test('a bad URL that came from AZURE_OPENAI_ENDPOINT names the variable and the likely URL', async () => {
    const p = await project(
      `{ targets: [{ name: 'a', deployments: [{ baseURL: process.env.AZURE_OPENAI_ENDPOINT ?? '', deployment: 'm' }] }] }`,
    );
    // The config module reads the real process environment; the CLI sees the same value through its io.
    const endpoint = 'my-resource.openai.azure.com';
    const before = process.env.AZURE_OPENAI_ENDPOINT;
    process.env.AZURE_OPENAI_ENDPOINT = endpoint;
    let result: CliResult;
    try {
      result = await p.run(['eval', '--dataset', 'qa.csv'], { env: { AZURE_OPENAI_ENDPOINT: endpoint, AZURE_OPENAI_API_KEY: 'k' } });
    } finally {
      if (before === undefined) delete process.env.AZURE_OPENAI_ENDPOINT;
      else process.env.AZURE_OPENAI_ENDPOINT = before;
    }
    const line = expectOneLine(result);
    expect(line).toMatch(
      /baseURL: expected an http\(s\) URL .*got "my-resource\.openai\.azure\.com" \(from the environment variable AZURE_OPENAI_ENDPOINT\) \(did you mean https:\/\/my-resource\.openai\.azure\.com\/openai\/v1\/\?\)/,
    );
  });

  test('a literal apiKey in auth is a secret in the config, not "an empty object"', async () => {
    const p = await project(
      `{ targets: [{ name: 'a', deployments: [{ baseURL: 'https://x.openai.azure.com/openai/v1/', deployment: 'm', auth: { apiKey: 'sk-live-abcdefabcdefabcdef0123' } }] }] }`,
    );
    const line = expectOneLine(await p.run(['eval', '--dataset', 'qa.csv']));
    expect(line).toMatch(/auth\.apiKey: secrets do not belong in the config \(value not shown\); put the key in an environment variable/);
    expect(line).not.toContain('sk-live');
  });

  test('an exception thrown while the config loads gives its line:col', async () => {
    const p = await tempProject('bb-hostile-');
    await p.write('qa.csv', qaCsv(2));
    await p.write(
      'eval.config.ts',
      `import { defineConfig } from ${JSON.stringify(join(REPO, 'src/index.ts'))};\nconst settings: Record<string, string> | undefined = undefined;\nexport default defineConfig({ targets: [], system: settings!.system });\n`,
    );
    expect(expectOneLine(await p.run(['eval', '--dataset', 'qa.csv']))).toMatch(
      /eval\.config\.ts:3:\d+: the config threw while loading: Cannot read properties of undefined \(reading 'system'\)$/,
    );
  });
});

describe('run-time messages of the same family', () => {
  test('a wrong key leads with the cause (deployment, URL, HTTP status, service message, variable) and no n/a gates', async () => {
    const targets = `[{ name: 'locked', api: 'chat', maxOutputTokens: 16, deployments: [{ baseURL: 'emulator', deployment: 'm', auth: { apiKeyEnv: 'MY_KEY' } }] }]`;
    const p = await project(
      `{ thresholds: { accuracy: 0.5, p95LatencyMs: 10000, maxErrorRate: 0.5 }, targets: ${targets}, emulator: ${EMULATOR} }`,
    );
    const result = await p.run(['eval', '--dataset', 'qa.csv', '--quiet'], { env: { MY_KEY: 'not-the-key' } });
    expect(result.code).toBe(3);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^target locked could not be completed: locked\/m at http:\/\/127\.0\.0\.1:\d+\/openai\/v1\/ answered HTTP 401 \(auth\): "Access denied[^"]*"; the key came from the environment variable MY_KEY/,
    );
    expect(result.stderr).not.toContain('n/a');
    expect(lines.slice(1)).toEqual(['threshold failed: locked: error rate 100.0% is above the threshold 50.0%']);
  });

  test('an endpoint nobody listens on leads with the deployment, its URL and the OS error', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    server.close();
    await once(server, 'close');
    const baseURL = `http://127.0.0.1:${port}/v1`;
    const p = await project(
      `{ targets: [{ name: 'gpt-4o', api: 'chat', maxOutputTokens: 16, deployments: [{ baseURL: ${JSON.stringify(baseURL)}, deployment: 'gpt-4o', id: 'eastus', auth: { apiKeyEnv: 'DEAD_KEY' } }] }] }`,
    );
    const result = await p.run(['eval', '--dataset', 'qa.csv', '--quiet'], { env: { DEAD_KEY: 'k' } });
    expect(result.code).toBe(3);
    expect(result.stderr.split('\n')[0]).toMatch(
      new RegExp(
        `^target gpt-4o could not be completed: eastus at ${baseURL.replaceAll('.', '\\.')}/ is unreachable \\(ECONNREFUSED\\): ".*ECONNREFUSED.*"; check that the URL is right`,
      ),
    );
  });

  test('a closed stdout (batchbench … | head) ends quietly: no EPIPE, no stack', async () => {
    const child = spawn(process.execPath, [join(REPO, 'src/cli/main.ts'), '--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader goes away before the CLI writes a byte, so its first write meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
