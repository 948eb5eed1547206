import { describe, expect, test } from 'vitest';
import { builtinReporterNames, createReporters, replayJournal, runReporters } from '../../src/report/registry.ts';
import type { Reporter } from '../../src/types.ts';
import { ok, runEnd, runStart, target } from './records.ts';

describe('createReporters', () => {
  test('builds every built-in by name, the HTML one lazily', async () => {
    const reporters = await createReporters(builtinReporterNames, { outDir: '/nonexistent' });
    expect(reporters.map((r) => r.name)).toEqual(['console', 'csv', 'json', 'markdown', 'junit', 'html']);
  });

  test('passes ready-made reporter instances through', async () => {
    const custom: Reporter = { name: 'custom' };
    expect(await createReporters([custom], { outDir: '/x' })).toEqual([custom]);
  });

  test('rejects an unknown name and lists the known ones', async () => {
    await expect(createReporters(['pdf'], { outDir: '/x' })).rejects.toThrow(
      'unknown reporter "pdf"; known reporters: console, csv, json, markdown, junit, html',
    );
  });
});

describe('runReporters', () => {
  test('calls the hook for the record kind on every reporter, in order', async () => {
    const calls: string[] = [];
    const make = (name: string): Reporter => ({
      name,
      onRunStart: () => void calls.push(`${name}:start`),
      onRunEnd: (_e, dir) => void calls.push(`${name}:end:${dir}`),
    });
    const reporters = [make('a'), make('b')];
    await runReporters(reporters, runStart([target('x')]), '/out');
    await runReporters(reporters, runEnd(), '/out');
    expect(calls).toEqual(['a:start', 'b:start', 'a:end:/out', 'b:end:/out']);
  });

  test('collects a failing hook and still calls the others', async () => {
    const calls: string[] = [];
    const boom = new Error('boom');
    const reporters: Reporter[] = [
      {
        name: 'bad',
        onRunStart: () => {
          throw boom;
        },
      },
      { name: 'good', onRunStart: () => void calls.push('good') },
    ];
    const failures = await runReporters(reporters, runStart([target('x')]), '/out');
    expect(failures).toEqual([{ reporter: 'bad', hook: 'onRunStart', error: boom }]);
    expect(calls).toEqual(['good']);
  });
});

describe('replayJournal', () => {
  const names = (calls: string[]): Reporter => ({
    name: 'log',
    onRunStart: () => void calls.push('start'),
    onResult: () => void calls.push('result'),
    onRunEnd: (end) => void calls.push(`end:${end.reason}`),
  });

  test('dispatches only the last run-end, after every other record (a resumed journal is one run)', async () => {
    const calls: string[] = [];
    const first = { ...runEnd(), reason: 'aborted' as const };
    await replayJournal(
      [runStart([target('x')]), ok({ target: 'x', row: 'r1' }), first, runStart([target('x')]), ok({ target: 'x', row: 'r2' }), runEnd()],
      [names(calls)],
      '/out',
    );
    expect(calls).toEqual(['start', 'result', 'start', 'result', 'end:completed']);
  });

  test('ends a journal that has no run-end as aborted', async () => {
    const calls: string[] = [];
    await replayJournal([runStart([target('x')]), ok({ target: 'x', row: 'r1' })], [names(calls)], '/out');
    expect(calls).toEqual(['start', 'result', 'end:aborted']);
  });

  test('with finish: false, feeds the records but not the end (resume prefix)', async () => {
    const calls: string[] = [];
    await replayJournal([runStart([target('x')]), runEnd()], [names(calls)], '/out', { finish: false });
    expect(calls).toEqual(['start']);
  });
});
