/**
 * Deterministic dataset shards: a row belongs to shard i of n by a hash of its id, so the split does
 * not depend on row order, survives appended rows, and every row lands in exactly one shard.
 */
import { hashString } from '../internal/rng.ts';
import { UsageError } from '../errors.ts';
import type { Row } from '../types.ts';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard: expected INDEX/COUNT with 1 ≤ INDEX ≤ COUNT (e.g. 2/4), got "${text}"`);
  }
  return { index, count };
}

export function shardOf(rowId: string, count: number): number {
  return (hashString(rowId) % count) + 1;
}

export function inShard(shard: Shard): (row: Row) => boolean {
  return (row) => shardOf(row.id, shard.count) === shard.index;
}
