import { randomBytes } from 'node:crypto';
import { createApp } from '../../server/app.js';
import { buildDeps } from '../../server/build-deps.js';
import { loadConfig } from '../../server/config.js';
import { createTestDatabase } from './pg.js';

export type TestApp = Awaited<ReturnType<typeof makeTestApp>>;

/**
 * A real app on its own fresh database and its own Redis key prefix, so suites run in parallel
 * without seeing each other's rows or rate-limit counters. Close it in afterAll.
 */
export async function makeTestApp(env: Record<string, string> = {}) {
  const database = await createTestDatabase();
  const prefix = `rapport-test:${randomBytes(4).toString('hex')}:`;
  const config = {
    ...loadConfig({ REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: prefix, ...env }),
    secret: randomBytes(32).toString('hex'),
  };
  const { deps, close } = buildDeps({ config, databaseUrl: database.url, poolSize: 5 });
  const app = createApp(deps);
  return {
    app,
    deps,
    db: deps.db,
    sql: deps.sql,
    async close() {
      // Best effort: a test may have run its app against a Redis that is down.
      const keys = await deps.redis.keys(`${prefix}*`).catch(() => []);
      if (keys.length) await deps.redis.del(...keys);
      await close();
      await database.drop();
    },
  };
}
