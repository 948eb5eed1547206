import { describe, expect, expectTypeOf, test } from 'vitest';
import { defineConfig, defineReporter, defineScorer } from '../../src/config/define-config.ts';
import type { BenchConfig } from '../../src/config/bench-config.ts';
import type { Reporter, Scorer } from '../../src/types.ts';

describe('define helpers', () => {
  test('defineConfig returns its argument unchanged and keeps literal types', () => {
    const config = { targets: [{ name: 'a', api: 'chat', deployments: [{ baseURL: 'emulator', deployment: 'm' }] }] } satisfies BenchConfig;
    const defined = defineConfig({ targets: [{ name: 'a', api: 'chat', deployments: [{ baseURL: 'emulator', deployment: 'm' }] }] });
    expect(defined).toEqual(config);
    expectTypeOf(defined.targets[0].api).toEqualTypeOf<'chat'>();
  });

  test('defineConfig accepts [name, options] scorer tuples without annotations', () => {
    const defined = defineConfig({ targets: [], scorers: ['exact-match', ['regex', { pattern: '^\\d+$' }]] });
    expectTypeOf(defined).toExtend<BenchConfig>();
  });

  test('defineScorer and defineReporter are identities', () => {
    const scorer = { name: 'len', score: () => ({ value: 1, passed: true }) };
    const reporter = { name: 'noop' };
    expect(defineScorer(scorer)).toBe(scorer);
    expect(defineReporter(reporter)).toBe(reporter);
    expectTypeOf(defineScorer(scorer)).toExtend<Scorer>();
    expectTypeOf(defineReporter(reporter)).toExtend<Reporter>();
  });
});
