import { describe, expect, test } from 'vitest';
import type { BenchConfig, ResolveContext } from '../../src/config/bench-config.ts';
import { regressionDefaults } from '../../src/config/defaults.ts';
import { resolveConfig } from '../../src/config/resolve-config.ts';
import { ConfigError } from '../../src/errors.ts';
import { DEFAULT_REGRESSION_THRESHOLDS, type RegressionThresholds } from '../../src/report/baseline/baseline-types.ts';

const context: ResolveContext = { file: '/project/eval.config.ts', env: { AZURE_OPENAI_API_KEY: 'k' } };

function config(regression?: unknown): BenchConfig {
  return {
    targets: [{ name: 'mini', deployments: [{ baseURL: 'https://contoso.openai.azure.com/openai/v1/', deployment: 'gpt-4.1-mini' }] }],
    ...(regression === undefined ? {} : { regression: regression as BenchConfig['regression'] }),
  };
}

function issuesOf(regression: unknown): readonly string[] {
  try {
    resolveConfig(config(regression), {}, context);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('regression limits', () => {
  test('default to 2 pp (significant), +25% p95 latency and TTFT, +10% cost, +5 pp failures, new failure categories', () => {
    expect(resolveConfig(config(), {}, context).regression).toEqual({
      maxAccuracyDropPts: 2,
      requireSignificant: true,
      maxP95LatencyIncreasePct: 25,
      maxTtftIncreasePct: 25,
      maxCostIncreasePct: 10,
      maxFailureRateIncreasePts: 5,
      failOnNewErrorCategories: true,
    });
  });

  test('the config defaults and the comparison defaults agree', () => {
    const asThresholds: RegressionThresholds = regressionDefaults;
    expect(asThresholds).toEqual(DEFAULT_REGRESSION_THRESHOLDS);
  });

  test('given fields win, the rest keep their defaults', () => {
    const resolved = resolveConfig(config({ maxAccuracyDropPts: 5, requireSignificant: false }), {}, context);
    expect(resolved.regression).toMatchObject({ maxAccuracyDropPts: 5, requireSignificant: false, maxCostIncreasePct: 10 });
  });

  test('bad values name the path, the expectation and what was found', () => {
    expect(issuesOf({ maxAccuracyDropPts: -1, maxP95LatencyIncreasePct: '25%', requireSignificant: 'yes' })).toEqual([
      'regression.maxAccuracyDropPts: expected a number between 0 and 100, got -1 (number)',
      'regression.requireSignificant: expected true or false, got "yes"',
      'regression.maxP95LatencyIncreasePct: expected a number ≥ 0, got "25%"',
    ]);
  });

  test('an unknown key suggests the closest known one', () => {
    expect(issuesOf({ maxLatencyIncreasePct: 10 })).toEqual([
      'regression.maxLatencyIncreasePct: unknown option (did you mean "maxP95LatencyIncreasePct"?)',
    ]);
  });

  test('limits do not change the config hash (they judge results, they do not change them)', () => {
    expect(resolveConfig(config({ maxAccuracyDropPts: 9 }), {}, context).hash).toBe(resolveConfig(config(), {}, context).hash);
  });
});
