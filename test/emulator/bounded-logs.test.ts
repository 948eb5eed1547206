/**
 * The emulator's per-request logs are bounded: full, they drop their older half at once (amortised
 * O(1)). A limit of 1 once dropped nothing (half of 1 is 0), so the "bounded" log grew without end and
 * every admission copied all of it: O(n²), which made the emulator the bottleneck of the 100k-row CLI
 * bench (S10 sets admissionLogSize 1).
 */
import { describe, expect, test } from 'vitest';
import { SendLog } from '../../src/emulator/send-log.ts';
import { DeploymentCounters } from '../../src/emulator/stats.ts';

describe('bounded emulator logs', () => {
  test.each([1, 2, 3, 10])('the admission log never holds more than its limit (%i), and keeps the newest', (limit) => {
    const counters = new DeploymentCounters(limit);
    for (let t = 1; t <= 1_000; t++) counters.admit(t, 10);
    const log = counters.admissionLog();
    expect(log.length).toBeGreaterThan(0);
    expect(log.length).toBeLessThanOrEqual(limit);
    expect(log.at(-1)).toEqual({ t: 1_000, cost: 10 });
    expect(counters.admitted).toBe(1_000);
  });

  test('a limit of 0 logs nothing', () => {
    const counters = new DeploymentCounters(0);
    counters.admit(1, 10);
    expect(counters.admissionLog()).toEqual([]);
  });

  test.each([1, 2, 5])('the send log never holds more than its limit (%i), and keeps the newest', (limit) => {
    const log = new SendLog(limit);
    for (let i = 1; i <= 1_000; i++) log.record({ id: `r${i}`, status: 200, receivedAt: i, endAt: i + 1 });
    const entries = log.list();
    expect(entries.length).toBeLessThanOrEqual(limit);
    expect(entries.at(-1)?.id).toBe('r1000');
  });
});
