import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RateLimitCounters } from './counters.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `rapport-test:counters:${randomBytes(4).toString('hex')}:`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('rate-limit counters, counted here and shared through Redis', () => {
  it('counts every hit at once, in order, and adds them all to Redis in the background', async () => {
    const counters = new RateLimitCounters(redis, 120);
    const [a, b] = [`${prefix}a`, `${prefix}b`];
    const counts = Array.from({ length: 30 }, (_, i) => counters.hit(i % 2 ? [a] : [b, a]));
    expect(counts.slice(0, 4)).toEqual([[1, 1], [2], [2, 3], [4]]);
    expect(counts.at(-1)).toEqual([30]);
    await counters.flush();
    expect(Number(await redis.get(a))).toBe(30);
    expect(Number(await redis.get(b))).toBe(15);
    expect(await redis.ttl(a)).toBeGreaterThan(100);
  });

  it("sees the other servers' hits from its next sync on", async () => {
    const key = `${prefix}shared`;
    const one = new RateLimitCounters(redis, 120);
    const two = new RateLimitCounters(redis, 120);
    two.hit([key]);
    await two.flush();
    for (let i = 0; i < 5; i++) one.hit([key]);
    await one.flush();
    // One's sync carried its five and brought back the shared six: its next hit is the seventh.
    expect(one.hit([key])).toEqual([7]);
    // Two has not synced since: it counts its own hits on top of what it last saw...
    expect(two.hit([key])).toEqual([2]);
    await one.flush();
    await two.flush();
    // ...and from its next sync on, everyone's.
    expect(Number(await redis.get(key))).toBe(8);
    expect(two.hit([key])).toEqual([9]);
  });

  it('keeps counting while Redis fails, says so once, and sends the hits when it answers again', async () => {
    const key = `${prefix}broken`;
    const errors: Error[] = [];
    const counters = new RateLimitCounters(redis, 120, { onError: (e) => errors.push(e) });
    await redis.set(key, 'not a number');
    expect(counters.hit([key])).toEqual([1]);
    await counters.flush();
    expect(counters.hit([key])).toEqual([2]);
    await counters.flush();
    expect(errors).toHaveLength(1);
    await redis.del(key);
    await counters.flush();
    expect(Number(await redis.get(key))).toBe(2);
    expect(counters.hit([key])).toEqual([3]);
  });

  it('forgets counters whose window is over', async () => {
    const key = `${prefix}old`;
    const counters = new RateLimitCounters(redis, 1);
    const start = Date.now();
    counters.hit([key], start);
    counters.hit([key], start);
    await counters.flush();
    await redis.del(key);
    await new Promise((r) => setTimeout(r, 1100));
    // A sync after the window: the old counter is gone, so the key counts from Redis's (empty) total.
    counters.hit([`${prefix}other`]);
    await counters.flush();
    expect(counters.hit([key])).toEqual([1]);
  });
});
