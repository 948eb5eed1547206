import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openDataset } from '../../src/dataset/open-dataset.ts';
import { createPromptBuilder } from '../../src/dataset/prompt-builder.ts';
import { resolveDatasetPath } from '../../src/dataset/resolve-dataset-path.ts';
import { collectDatasetProblems, scanDataset } from '../../src/dataset/validate-dataset.ts';
import { DatasetError } from '../../src/errors.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures/datasets');
const open = (name: string) => openDataset(resolve(fixtures, name), { idColumn: 'id' });
const temp = mkdtempSync(join(tmpdir(), 'batchbench-dataset-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('createPromptBuilder', () => {
  test('defaults to {{question}} and sends one user message', async () => {
    const dataset = await open('bom-crlf.csv');
    const builder = createPromptBuilder(undefined, dataset);
    for await (const row of dataset.rows()) {
      expect(builder.build(row)).toEqual({ messages: [{ role: 'user', content: 'What is 2+2, in words?' }] });
      break;
    }
  });

  test('sends JSONL messages as is', async () => {
    const dataset = await open('chat.jsonl');
    const builder = createPromptBuilder('ignored {{id}}', dataset);
    for await (const row of dataset.rows()) {
      expect(builder.build(row).messages).toHaveLength(2);
      break;
    }
  });

  test('a prompt function may return a string or a PromptInput', async () => {
    const dataset = await open('no-id.csv');
    const asString = createPromptBuilder((row) => `Q: ${row.fields['question'] ?? ''}`, dataset);
    const asInput = createPromptBuilder(() => ({ messages: [{ role: 'developer', content: 'x' }] }), dataset);
    for await (const row of dataset.rows()) {
      expect(asString.build(row).messages[0]?.content).toBe('Q: What is the capital of France?');
      expect(asInput.build(row).messages[0]?.role).toBe('developer');
      break;
    }
  });

  test('a template column missing from the header fails before any row is read', async () => {
    await expect(open('bom-crlf.csv').then((dataset) => createPromptBuilder('{{qestion}}', dataset))).rejects.toThrow(
      '(did you mean {{question}}?)',
    );
  });
});

describe('scanDataset', () => {
  test('counts the rows of a clean file', async () => {
    const dataset = await open('bom-crlf.csv');
    expect(await scanDataset(dataset, createPromptBuilder(undefined, dataset))).toEqual({ rows: 3 });
  });

  test('lists every problem at once, in file order', async () => {
    const dataset = await open('bad.jsonl');
    const scan = await collectDatasetProblems(dataset, createPromptBuilder('{{prompt}}', dataset));
    expect(scan.rows).toBe(2);
    expect(scan.problems.map((problem) => problem.line)).toEqual([2, 3, 4, 5]);
  });

  test('throws one DatasetError with one problem per line', async () => {
    const dataset = await open('ragged.csv');
    const error: unknown = await scanDataset(dataset).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).message).toBe(
      'ragged.csv:3: row has 4 fields, header has 3 (quote fields that contain the delimiter)\n' +
        '  ragged.csv:5: row has 2 fields, header has 3 (quote fields that contain the delimiter)\n' +
        '(2 problems in total)',
    );
  });

  test('finds JSONL rows that lack both the template columns and messages', async () => {
    const dataset = await open('mixed.jsonl');
    const scan = await collectDatasetProblems(dataset, createPromptBuilder(undefined, dataset));
    expect(scan.problems.map((problem) => problem.message)).toEqual([
      'mixed.jsonl:3: expected "question" (string) or "messages" (array of {role, content})',
    ]);
  });

  test('reports duplicate ids and an unclosed quote', async () => {
    expect((await collectDatasetProblems(await open('duplicates.csv'))).problems[0]?.message).toBe(
      'duplicates.csv:4: duplicate id "q1" (first at line 2)',
    );
    expect((await collectDatasetProblems(await open('unclosed.csv'))).problems[0]?.message).toMatch(
      /^unclosed\.csv:3:2: unclosed quoted field/,
    );
  });
});

describe('resolveDatasetPath', () => {
  test('finds a file relative to the working directory first', () => {
    expect(resolveDatasetPath('chat.jsonl', fixtures, temp)).toBe(join(fixtures, 'chat.jsonl'));
  });

  test('falls back to the datasets folder, extension optional', () => {
    expect(resolveDatasetPath('no-id', temp, fixtures)).toBe(join(fixtures, 'no-id.csv'));
  });

  test('a missing dataset lists what was tried', () => {
    expect(() => resolveDatasetPath('nope.csv', temp, fixtures)).toThrow(
      `nope.csv: dataset not found (tried ${join(temp, 'nope.csv')}, ${join(fixtures, 'nope.csv')}, also with .csv/.jsonl/.tsv/.ndjson)`,
    );
  });
});

describe('streaming', () => {
  test('reads a generated 50,000-row file row by row', async () => {
    const file = join(temp, 'big.csv');
    const lines = ['id,question,answer'];
    for (let i = 0; i < 50_000; i++) lines.push(`r${i},"Question ${i}, with a comma",${i % 7}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const dataset = await openDataset(file, { idColumn: 'id' });
    let count = 0;
    let last = '';
    for await (const row of dataset.rows()) {
      count++;
      last = row.id;
    }
    expect(count).toBe(50_000);
    expect(last).toBe('r49999');
  });
});
