/**
 * Enforces the import direction of architecture.md §2.1: types → errors → internal → leaf modules
 * (config, dataset, matrix, scheduler, providers, scoring, sink, report; siblings never import each
 * other) → run → cli. The emulator sits beside them and depends only on internal/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { describe, expect, test } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');
const LEAVES = ['config', 'dataset', 'matrix', 'scheduler', 'providers', 'scoring', 'sink', 'report', 'load'];

/** Which src/ areas each area may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  'types.ts': [],
  'errors.ts': ['types.ts'],
  'index.ts': ['types.ts', 'errors.ts', 'config'],
  internal: ['types.ts', 'errors.ts'],
  ...Object.fromEntries(LEAVES.map((leaf) => [leaf, ['types.ts', 'errors.ts', 'internal']])),
  run: ['types.ts', 'errors.ts', 'internal', ...LEAVES],
  emulator: ['internal'],
  cli: ['types.ts', 'errors.ts', 'internal', 'run', 'config', 'report', 'sink', 'dataset', 'emulator', 'load'],
};

function areaOf(file: string): string {
  const rel = relative(SRC, file).split(sep);
  return rel.length === 1 ? rel[0]! : rel[0]!;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  const dynamic = [...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
  return [...specifiers, ...dynamic].filter((s) => s.startsWith('.'));
}

describe('architecture', () => {
  const files = sourceFiles(SRC);

  test('every src area is known to the rules', () => {
    const unknown = [...new Set(files.map(areaOf))].filter((area) => !(area in ALLOWED));
    expect(unknown).toEqual([]);
  });

  test('imports flow one way', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = areaOf(file);
      for (const specifier of relativeImports(file)) {
        const target = resolve(dirname(file), specifier);
        if (!target.startsWith(SRC)) {
          violations.push(`${relative(SRC, file)} imports ${specifier} (outside src/)`);
          continue;
        }
        const to = areaOf(target);
        if (to !== from && !ALLOWED[from]!.includes(to)) violations.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  test('the rule table rejects a sibling import', () => {
    // Guards the guard: a scheduler → providers import must be flagged.
    expect(ALLOWED.scheduler!.includes('providers')).toBe(false);
    expect(ALLOWED.emulator).toEqual(['internal']);
  });
});
