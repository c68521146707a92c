import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

/** A write that records its batches and returns when `release` is called. */
function heldWrites() {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(items);
      releases.push(() => (items.includes(-1) ? reject(new Error('write failed')) : resolve(items.map((i) => `ok ${i}`))));
    });
  return { batches, releases, write };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('group commit', () => {
  it('writes the items of one turn together, and those arriving meanwhile in the next write', async () => {
    const w = heldWrites();
    const commits = new GroupCommit(w.write);
    const first = [1, 2, 3].map((i) => commits.record(i));
    await turn();
    expect(w.batches).toEqual([[1, 2, 3]]);
    const second = [4, 5].map((i) => commits.record(i));
    await turn();
    // One write in flight: 4 and 5 wait for it.
    expect(w.batches).toHaveLength(1);
    w.releases[0]!();
    expect(await Promise.all(first)).toEqual(['ok 1', 'ok 2', 'ok 3']);
    await turn();
    expect(w.batches).toEqual([[1, 2, 3], [4, 5]]);
    w.releases[1]!();
    expect(await Promise.all(second)).toEqual(['ok 4', 'ok 5']);
  });

  it('fails the items of a failed write only, and keeps writing', async () => {
    const w = heldWrites();
    const commits = new GroupCommit(w.write);
    const failed = [commits.record(7), commits.record(-1)];
    await turn();
    w.releases[0]!();
    await expect(failed[0]).rejects.toThrow('write failed');
    await expect(failed[1]).rejects.toThrow('write failed');
    const later = commits.record(8);
    await turn();
    w.releases[1]!();
    expect(await later).toBe('ok 8');
  });

  it('caps a write at maxBatch items', async () => {
    const w = heldWrites();
    const commits = new GroupCommit(w.write, { maxBatch: 2, maxInFlight: 2 });
    const all = [1, 2, 3].map((i) => commits.record(i));
    await turn();
    await turn();
    expect(w.batches).toEqual([[1, 2], [3]]);
    w.releases.forEach((r) => r());
    expect(await Promise.all(all)).toEqual(['ok 1', 'ok 2', 'ok 3']);
  });
});
