import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { openDataset } from '../../src/dataset/open-dataset.ts';
import { createPromptBuilder } from '../../src/dataset/prompt-builder.ts';
import { scanDataset } from '../../src/dataset/validate-dataset.ts';
import { extractNumbers } from '../../src/scoring/numeric.ts';
import type { Row } from '../../src/types.ts';

// datasets/ is user data shipped with the project (not fixtures): check it with the same readers users get.
const datasets = resolve(import.meta.dirname, '../../datasets');

async function readAll(name: string): Promise<Row[]> {
  const dataset = await openDataset(resolve(datasets, name), { idColumn: 'id' });
  await scanDataset(dataset, createPromptBuilder(undefined, dataset));
  const rows: Row[] = [];
  for await (const row of dataset.rows()) rows.push(row);
  return rows;
}

describe.each([
  ['qa.csv', 210, /^q\d{3}$/],
  ['math.csv', 40, /^m\d{3}$/],
  ['chat.jsonl', 30, /^c\d{3}$/],
])('%s', (name, minimum, idPattern) => {
  test(`parses cleanly with at least ${minimum} rows, unique well-formed ids and non-empty answers`, async () => {
    const rows = await readAll(name);
    expect(rows.length).toBeGreaterThanOrEqual(minimum);
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    for (const row of rows) {
      expect(row.id).toMatch(idPattern);
      expect(row.expected?.trim()).toBeTruthy();
    }
  });
});

test('every math.csv answer is exactly one number', async () => {
  for (const row of await readAll('math.csv')) expect(extractNumbers(row.expected ?? ''), row.id).toHaveLength(1);
});

test('every chat.jsonl row is a system + user conversation', async () => {
  for (const row of await readAll('chat.jsonl')) expect(row.messages?.map((message) => message.role)).toEqual(['system', 'user']);
});
