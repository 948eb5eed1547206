import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ResultRecord } from '../../src/types.ts';
import { createJournalFixture } from '../support/journal-fixture.ts';
import { renderJournal, type Rendered } from './render-journal.ts';
import { ok, runEnd, runStart, target } from './records.ts';
import { xmlProblems } from './xml-check.ts';

describe('junit.xml', () => {
  const records = createJournalFixture({ rows: 40 });
  const results = records.filter((r): r is ResultRecord => r.kind === 'result');
  let rendered: Rendered;
  let xml: string;

  beforeAll(async () => {
    rendered = await renderJournal(records, ['junit']);
    xml = await readFile(join(rendered.dir, 'junit.xml'), 'utf8');
  });
  afterAll(() => rendered.cleanup());

  test('is well-formed XML although outputs carry markup payloads', () => {
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).not.toContain('<script>');
    expect(xml).toMatch(/&lt;(script|svg|img)/);
  });

  test('has one testcase per (row, target) and one suite per target', () => {
    expect(xml.match(/<testcase /g)).toHaveLength(results.length);
    expect(xml.match(/<testsuite /g)).toHaveLength(3);
  });

  test('counts failures (wrong answers) and errors (failed requests) in the suite headers', () => {
    const wrong = results.filter((r) => r.target === 'gpt-4o' && r.status === 'ok' && !r.passed).length;
    const errors = results.filter((r) => r.target === 'gpt-4o' && r.status === 'failed').length;
    expect(xml).toContain(`<testsuite name="gpt-4o" tests="40" failures="${wrong}" errors="${errors}"`);
  });

  test('a failure carries the expected answer and the output', () => {
    const wrong = results.find((r) => r.status === 'ok' && !r.passed && !r.output.includes('<'))!;
    const testcase = xml
      .split('<testcase ')
      .find((c) => c.includes(`name="${wrong.rowId} #0"`) && c.includes(`classname="${wrong.target}"`))!;
    expect(testcase).toContain(`expected:\n${wrong.expected}`);
    expect(testcase).toContain(`output:\n${wrong.status === 'ok' ? wrong.output : ''}`);
  });

  test('orders suites by config order and test cases by row order, then repeat', () => {
    const suites = [...xml.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]);
    expect(suites).toEqual(['gpt-4o', 'gpt-4o-mini', 'o4-mini']);
    const names = [...xml.matchAll(/<testcase classname="gpt-4o" name="([^"]+) #0"/g)].map((m) => m[1]);
    const expected = results
      .filter((r) => r.target === 'gpt-4o')
      .sort((a, b) => a.rowIndex - b.rowIndex)
      .map((r) => r.rowId);
    expect(expected).not.toEqual(results.filter((r) => r.target === 'gpt-4o').map((r) => r.rowId)); // arrival order differs
    expect(names).toEqual(expected);
  });

  test('leaves no part files behind', async () => {
    expect((await readdir(rendered.dir)).filter((f) => f.includes('.part') || f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('junit.xml escaping', () => {
  test('writes CR, tabs and line breaks as references where an XML parser would normalise them', async () => {
    const output = 'a\r\nb\tc\rd';
    const rendered = await renderJournal(
      [runStart([target('m')]), ok({ target: 'm', row: 'r\t1\nx', output, passed: false }), runEnd()],
      ['junit'],
    );
    const xml = await readFile(join(rendered.dir, 'junit.xml'), 'utf8');
    await rendered.cleanup();
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).not.toContain('\r');
    expect(xml).toContain('got &quot;a\\r\\nb\\tc\\rd&quot;'); // JSON-escaped inside the message
    expect(xml).toContain('name="r&#9;1&#10;x #0"');
    expect(xml).toContain('output:\na&#13;\nb\tc&#13;d');
  });
});
