/**
 * junit.xml: one <testsuite> per target, one <testcase> per (row, repeat). A wrong answer is a
 * <failure> carrying expected vs output; a request that never succeeded is an <error>. Test cases are
 * streamed to one part file per target as results arrive (suite headers need counts known only at the
 * end), then stitched into junit.xml and the parts removed.
 */
import { createReadStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Reporter, ResultRecord } from '../types.ts';
import { resultPassed } from './metrics.ts';
import { openTextWriter, type TextWriter } from './output-files.ts';
import type { ReporterOptions } from './reporter-options.ts';
import { escapeXml } from './xml.ts';

export const JUNIT_FILE = 'junit.xml';
const MESSAGE_CHARS = 200;
const BODY_CHARS = 4000;

interface Suite {
  readonly index: number;
  readonly writer: TextWriter;
  tests: number;
  failures: number;
  errors: number;
  timeMs: number;
}

export function createJunitReporter(options: ReporterOptions): Reporter {
  const suites = new Map<string, Promise<Suite>>();
  const partPath = (index: number) => join(options.outDir, `${JUNIT_FILE}.${index}.part`);
  let runId = 'batchbench';

  function suite(target: string): Promise<Suite> {
    let s = suites.get(target);
    if (!s) {
      const index = suites.size;
      // The promise is registered at once, so overlapping results of a new target share one writer.
      s = openTextWriter(partPath(index)).then((writer) => ({ index, writer, tests: 0, failures: 0, errors: 0, timeMs: 0 }));
      suites.set(target, s);
    }
    return s;
  }

  return {
    name: 'junit',
    async onRunStart(record) {
      runId = record.runId;
      for (const t of record.targets) await suite(t.name);
    },
    async onResult(record) {
      const s = await suite(record.target);
      s.tests++;
      const timeMs = record.status === 'ok' ? record.timing.endMs : record.durationMs;
      s.timeMs += timeMs;
      if (record.status === 'failed') s.errors++;
      else if (resultPassed(record) === false) s.failures++;
      await s.writer.write(testcase(record, timeMs));
    },
    async onRunEnd() {
      const temp = join(options.outDir, `${JUNIT_FILE}.tmp`);
      const out = await openTextWriter(temp);
      const all = await Promise.all([...suites.entries()].map(async ([target, s]) => [target, await s] as const));
      const total = (key: 'tests' | 'failures' | 'errors') => all.reduce((n, [, s]) => n + s[key], 0);
      await out.write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(runId)}" tests="${total('tests')}" failures="${total('failures')}" errors="${total('errors')}">\n`);
      for (const [target, s] of all) {
        await s.writer.close();
        await out.write(`  <testsuite name="${escapeXml(target)}" tests="${s.tests}" failures="${s.failures}" errors="${s.errors}" skipped="0" time="${seconds(s.timeMs)}">\n`);
        for await (const chunk of createReadStream(partPath(s.index), 'utf8')) await out.write(chunk as string);
        await out.write('  </testsuite>\n');
        await rm(partPath(s.index), { force: true });
      }
      await out.write('</testsuites>\n');
      await out.close();
      await rename(temp, join(options.outDir, JUNIT_FILE));
    },
  };
}

// --- internal ---

function testcase(record: ResultRecord, timeMs: number): string {
  const open = `    <testcase classname="${escapeXml(record.target)}" name="${escapeXml(`${record.rowId} #${record.repeat}`)}" time="${seconds(timeMs)}"`;
  if (record.status === 'failed') {
    const message = `${record.reason}: ${record.error.message}`;
    const body = `attempts: ${record.attempts}\ncode: ${record.error.code}\n${record.error.message}`;
    return `${open}>\n      <error message="${attr(message)}" type="${escapeXml(record.error.category ?? record.error.code)}">${text(body)}</error>\n    </testcase>\n`;
  }
  if (resultPassed(record) !== false) return `${open}/>\n`;
  const scores = record.scores.map((s) => `${s.scorer}=${s.status === 'ok' ? s.value : `error (${s.error})`}`).join(', ');
  const body = `expected:\n${record.expected ?? '(none)'}\n\noutput:\n${record.output}\n\nscores: ${scores}`;
  const message = `expected ${JSON.stringify(record.expected ?? '')}, got ${JSON.stringify(record.output)}`;
  return `${open}>\n      <failure message="${attr(message)}" type="assertion">${text(body)}</failure>\n    </testcase>\n`;
}

function attr(value: string): string {
  return escapeXml(value.length > MESSAGE_CHARS ? `${value.slice(0, MESSAGE_CHARS)}…` : value);
}

function text(value: string): string {
  return escapeXml(value.length > BODY_CHARS ? `${value.slice(0, BODY_CHARS)}\n… (${value.length - BODY_CHARS} more characters in results.csv)` : value);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
