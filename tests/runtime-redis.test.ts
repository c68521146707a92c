import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureRedis, type EnsuredRedis } from '../server/runtime/redis.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function pings(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

describe('ensureRedis', () => {
  const started: EnsuredRedis[] = [];
  afterEach(async () => {
    for (const r of started.splice(0)) await r.stop();
  });

  it('leaves a Redis that answers alone', async () => {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const r = await ensureRedis(url);
    expect(r.started).toBe(false);
    await r.stop();
    expect(await pings(url)).toBe(true);
  });

  it('starts redis-server on a local port where nothing answers, and stops it', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    expect(await pings(url)).toBe(false);
    const r = await ensureRedis(url);
    started.push(r);
    expect(r.started).toBe(true);
    expect(await pings(url)).toBe(true);
    await r.stop();
    expect(await pings(url)).toBe(false);
  });

  it('says to install redis-server when it is not on PATH', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const saved = process.env.PATH;
    const empty = await mkdtemp(path.join(tmpdir(), 'rapport-empty-path-'));
    process.env.PATH = empty;
    try {
      await expect(ensureRedis(url)).rejects.toThrow(
        `REDIS_URL ${url} did not answer and redis-server is not installed: apt-get install redis-server, or set REDIS_URL`,
      );
    } finally {
      process.env.PATH = saved;
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('does not start anything for a Redis on another machine', async () => {
    // `.invalid` never resolves (RFC 2606), so no traffic leaves this machine.
    await expect(ensureRedis('redis://redis.invalid:6379')).rejects.toThrow(
      'REDIS_URL redis://redis.invalid:6379 did not answer: start Redis there, or set REDIS_URL to a Redis that runs',
    );
  });
});
