import { describe, expect, it } from 'vitest';
import { PolicyCache } from './policy-cache.js';

class Fake {
  disposed = false;
  constructor(readonly id: string) {}
  dispose() {
    this.disposed = true;
  }
}

function cache(capacity: number) {
  const loads: string[] = [];
  const c = new PolicyCache<Fake>(capacity, async (id) => {
    loads.push(id);
    if (id === 'bad') throw new Error('bad checkpoint');
    return new Fake(id);
  });
  return { c, loads };
}

describe('PolicyCache', () => {
  it('loads a version once for concurrent requests', async () => {
    const { c, loads } = cache(2);
    const [a, b] = await Promise.all([c.acquire('v1'), c.acquire('v1')]);
    expect(a.policy).toBe(b.policy);
    expect(loads).toEqual(['v1']);
  });

  it('evicts the least recently used idle policy and disposes it', async () => {
    const { c, loads } = cache(2);
    const v1 = await c.acquire('v1');
    v1.release();
    (await c.acquire('v2')).release();
    (await c.acquire('v1')).release(); // v1 used again: v2 is now the oldest
    (await c.acquire('v3')).release();
    expect(c.ids()).toEqual(['v1', 'v3']);
    expect(loads).toEqual(['v1', 'v2', 'v3']);
    expect(v1.policy.disposed).toBe(false);
  });

  it('never disposes a policy under a running generation; evicts it once released', async () => {
    const { c } = cache(1);
    const held = await c.acquire('v1');
    (await c.acquire('v2')).release();
    expect(held.policy.disposed).toBe(false);
    expect(c.ids()).toEqual(['v1']);
    held.release();
    held.release(); // twice is harmless
    (await c.acquire('v3')).release();
    expect(held.policy.disposed).toBe(true);
    expect(c.ids()).toEqual(['v3']);
  });

  it('reports a failed load to its requests and tries again on the next', async () => {
    const { c, loads } = cache(2);
    await expect(c.acquire('bad')).rejects.toThrow(/bad checkpoint/);
    await expect(c.acquire('bad')).rejects.toThrow(/bad checkpoint/);
    expect(loads).toEqual(['bad', 'bad']);
    expect(c.ids()).toEqual([]);
  });
});
