/**
 * junit.xml: one <testsuite> per target (in config order), one <testcase> per (row, repeat) sorted by
 * row order then repeat, so two runs diff cleanly. A wrong answer is a <failure> carrying expected vs
 * output; a request that never succeeded is an <error>; an answer left unscored (a scorer or judge it
 * needed errored) has no verdict, so it is <skipped message="unscored: …"/>, never a pass. Test cases
 * are spooled to a part file as results arrive (suite headers need counts known only at the end), then
 * written out in order and the part removed.
 */
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { redactText } from '../internal/redact.ts';
import type { Reporter, ResultRecord } from '../types.ts';
import { resultPassed } from './metrics.ts';
import { openTextWriter } from './output-files.ts';
import type { ReporterOptions } from './reporter-options.ts';
import { openSortedSpool, type SortedSpool } from './sorted-spool.ts';
import { escapeXml, escapeXmlAttribute } from './xml.ts';

export const JUNIT_FILE = 'junit.xml';
const MESSAGE_CHARS = 200;
const BODY_CHARS = 4000;

interface Suite {
  readonly name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  timeMs: number;
}

export function createJunitReporter(options: ReporterOptions): Reporter {
  const suites = new Map<string, Suite>();
  const partPath = join(options.outDir, `${JUNIT_FILE}.part`);
  let spool: Promise<SortedSpool> | null = null; // a promise, so overlapping first results share one file
  let runId = 'batchbench';

  function suite(target: string): Suite {
    let s = suites.get(target);
    if (!s) {
      s = { name: target, tests: 0, failures: 0, errors: 0, skipped: 0, timeMs: 0 };
      suites.set(target, s);
    }
    return s;
  }

  return {
    name: 'junit',
    async onRunStart(record) {
      if (spool) return; // a resumed run's second run-start
      runId = record.runId;
      for (const t of record.targets) suite(t.name);
    },
    async onResult(record) {
      const s = suite(record.target);
      s.tests++;
      const timeMs = record.status === 'ok' ? record.timing.endMs : record.durationMs;
      s.timeMs += timeMs;
      if (record.status === 'failed') s.errors++;
      else if (record.scoring === 'unscored') s.skipped++;
      else if (resultPassed(record) === false) s.failures++;
      spool ??= openSortedSpool(partPath);
      const order = [...suites.keys()].indexOf(record.target);
      await (await spool).add([order, record.rowIndex, record.repeat], testcase(record, timeMs));
    },
    async onRunEnd() {
      const temp = join(options.outDir, `${JUNIT_FILE}.tmp`);
      const out = await openTextWriter(temp);
      const all = [...suites.values()];
      const total = (key: 'tests' | 'failures' | 'errors' | 'skipped') => all.reduce((n, s) => n + s[key], 0);
      await out.write(
        `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXmlAttribute(runId)}" tests="${total('tests')}" failures="${total('failures')}" errors="${total('errors')}" skipped="${total('skipped')}">\n`,
      );
      const cases = spool ? (await spool).sorted()[Symbol.asyncIterator]() : null;
      let next = cases ? await cases.next() : null;
      for (const [index, s] of all.entries()) {
        await out.write(
          `  <testsuite name="${escapeXmlAttribute(s.name)}" tests="${s.tests}" failures="${s.failures}" errors="${s.errors}" skipped="${s.skipped}" time="${seconds(s.timeMs)}">\n`,
        );
        while (cases && next && !next.done && next.value.key[0] === index) {
          await out.write(next.value.text);
          next = await cases.next();
        }
        await out.write('  </testsuite>\n');
      }
      await out.write('</testsuites>\n');
      await out.close();
      await rm(partPath, { force: true });
      await rename(temp, join(options.outDir, JUNIT_FILE));
    },
  };
}

// --- internal ---

function testcase(record: ResultRecord, timeMs: number): string {
  const open = `    <testcase classname="${escapeXmlAttribute(record.target)}" name="${escapeXmlAttribute(`${record.rowId} #${record.repeat}`)}" time="${seconds(timeMs)}"`;
  if (record.status === 'failed') {
    const error = redactText(record.error.message, { keyLikeRuns: true });
    const message = `${record.reason}: ${error}`;
    const body = `attempts: ${record.attempts}\ncode: ${record.error.code}\n${error}`;
    return `${open}>\n      <error message="${attr(message)}" type="${escapeXmlAttribute(record.error.category ?? record.error.code)}">${text(body)}</error>\n    </testcase>\n`;
  }
  if (record.scoring === 'unscored') {
    const why = record.scores
      .flatMap((s) => (s.status === 'error' ? [`${s.scorer} errored: ${redactText(s.error, { keyLikeRuns: true })}`] : []))
      .join('; ');
    return `${open}>\n      <skipped message="${attr(`unscored: ${why || 'no verdict'}`)}"/>\n    </testcase>\n`;
  }
  if (resultPassed(record) !== false) return `${open}/>\n`;
  const scores = record.scores.map((s) => `${s.scorer}=${s.status === 'ok' ? s.value : `error (${s.error})`}`).join(', ');
  const body = `expected:\n${record.expected ?? '(none)'}\n\noutput:\n${record.output}\n\nscores: ${scores}`;
  const message = `expected ${JSON.stringify(record.expected ?? '')}, got ${JSON.stringify(record.output)}`;
  return `${open}>\n      <failure message="${attr(message)}" type="assertion">${text(body)}</failure>\n    </testcase>\n`;
}

function attr(value: string): string {
  return escapeXmlAttribute(value.length > MESSAGE_CHARS ? `${value.slice(0, MESSAGE_CHARS)}…` : value);
}

function text(value: string): string {
  return escapeXml(
    value.length > BODY_CHARS ? `${value.slice(0, BODY_CHARS)}\n… (${value.length - BODY_CHARS} more characters in results.csv)` : value,
  );
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
