import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RateLimitHits } from './hits.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `rapport-test:hits:${randomBytes(4).toString('hex')}:`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('rate-limit hits batched per event-loop turn', () => {
  it('counts every hit exactly once, in arrival order, duplicates within a batch included', async () => {
    const hits = new RateLimitHits(redis, 120);
    const a = `${prefix}a`;
    const b = `${prefix}b`;
    // 30 requests in one turn (one script call), then 30 more while it is out (the next call).
    const first = Array.from({ length: 30 }, () => hits.hit([a, b]));
    const second = Array.from({ length: 30 }, (_, i) => hits.hit(i % 2 ? [a] : [b, a]));
    const counts = await Promise.all([...first, ...second]);
    expect(counts.slice(0, 30).map((c) => c[0])).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(counts.slice(0, 30).map((c) => c[1])).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(Number(await redis.get(a))).toBe(60);
    expect(Number(await redis.get(b))).toBe(45);
    expect(await redis.ttl(a)).toBeGreaterThan(100);
  });

  it('fails the requests of a failed call, and keeps serving later ones', async () => {
    const hits = new RateLimitHits(redis, 120);
    const key = `${prefix}c`;
    await redis.set(key, 'not a number');
    await expect(hits.hit([key])).rejects.toThrow();
    await redis.del(key);
    expect(await hits.hit([key])).toEqual([1]);
  });
});
