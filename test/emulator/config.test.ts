import { describe, expect, it } from 'vitest';
import { EmulatorConfigError, resolveDeployment, validateEmulatorConfig } from '../../src/emulator/config.ts';
import { startEmulator } from '../../src/emulator/server.ts';

function issuesOf(config: unknown): string[] {
  try {
    validateEmulatorConfig(config);
  } catch (err) {
    expect(err).toBeInstanceOf(EmulatorConfigError);
    return (err as EmulatorConfigError).issues;
  }
  return [];
}

describe('config validation', () => {
  it('reports every problem at once as one-line messages naming the field', () => {
    const issues = issuesOf({
      deployments: [
        { name: 'a', model: 'gpt-4o', capacity: -5 },
        { name: 'b', model: 'gpt-9', capacity: 1 },
        {
          name: 'a',
          model: 'gpt-4o',
          capacity: 1,
          accuracy: 2,
          faults: [{ kind: 'nope' }],
          quirks: { omitLimitHeaders: 'yes', fancy: true },
        },
      ],
      latencyScale: -1,
    });
    expect(issues).toContain('deployments[0].capacity: expected a number > 0, got -5');
    expect(
      issues.some((i) => i.startsWith('deployments[1].model: unknown model profile "gpt-9" (known: gpt-4o, gpt-4o-mini, gpt-4.1,')),
    ).toBe(true);
    expect(issues).toContain('deployments[2].name: duplicate deployment "a"');
    expect(issues).toContain('deployments[2].accuracy: expected a number >= 0 and <= 1, got 2');
    expect(issues.some((i) => i.startsWith('deployments[2].faults[0].kind: expected one of capacity429,'))).toBe(true);
    expect(issues).toContain('latencyScale: expected a number >= 0, got -1');
    expect(issues).toContain('deployments[2].quirks.omitLimitHeaders: expected a boolean, got "yes"');
    expect(issues.some((i) => i.startsWith('deployments[2].quirks.fancy: unknown quirk (known: omitLimitHeaders,'))).toBe(true);
    for (const issue of issues) expect(issue).not.toContain('\n');
  });

  it('the error message is the single issue when there is one', () => {
    expect(() => validateEmulatorConfig({ deployments: [{ name: 'x', model: 'gpt-4o' }] })).toThrow(
      'deployments[0].capacity: expected a number > 0, got undefined',
    );
  });

  it('startEmulator and patch reject bad configs; a bad patch changes nothing', async () => {
    await expect(startEmulator({ deployments: [{ name: 'x', model: 'nope', capacity: 1 }] })).rejects.toBeInstanceOf(EmulatorConfigError);
    const h = await startEmulator({ deployments: [{ name: 'x', model: 'gpt-4o', capacity: 1 }] });
    try {
      expect(() => h.patch({ deployments: [{ name: 'x', capacity: 0 }] })).toThrow('deployments[0].capacity: expected a number > 0, got 0');
      expect(h.config().deployments[0]?.capacity).toBe(1);
      h.patch({ deployments: [{ name: 'y', model: 'o3', capacity: 5 }] });
      expect(h.config().deployments.map((d) => d.name)).toEqual(['x', 'y']);
      expect(h.apiKey).toMatch(/^[0-9a-f]{32}$/); // generated when none configured
    } finally {
      await h.close();
    }
  });

  it('resolves windows from the profile RPM ratio and quirks', () => {
    const base = resolveDeployment({ name: 'a', model: 'gpt-4o-mini', capacity: 50 });
    expect(base.tpm).toBe(50_000);
    expect(base.rpm).toBe(300);
    expect(base.requestWindows).toEqual([{ ms: 10_000, limit: 50 }]);
    const quirky = resolveDeployment({ name: 'a', model: 'gpt-4o-mini', capacity: 50, quirks: { oneSecondRequestWindow: true } });
    expect(quirky.requestWindows).toEqual([
      { ms: 10_000, limit: 50 },
      { ms: 1_000, limit: 5 },
    ]);
    const o3mini = resolveDeployment({ name: 'a', model: 'o3-mini', capacity: 5_000 });
    expect(o3mini.rpm).toBe(500);
    expect(o3mini.completionReservation).toBe(4_096);
    const custom = resolveDeployment({
      name: 'a',
      model: 'gpt-4.1',
      capacity: 60,
      tokenWindowMs: 6_000,
      requestWindows: [{ ms: 1_000 }, { ms: 100, limit: 3 }],
    });
    expect(custom.tokenWindowMs).toBe(6_000);
    expect(custom.requestWindows).toEqual([
      { ms: 1_000, limit: 1 },
      { ms: 100, limit: 3 },
    ]);
  });
});
