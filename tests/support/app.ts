import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/client.js';
import type { AppDeps } from '../../server/deps.js';
import { createAssistantService } from '../../server/services/assistant/assistant.js';
import { createTestDatabase } from './pg.js';

export type TestApp = Awaited<ReturnType<typeof makeTestApp>>;

/**
 * A real app on its own fresh database and its own Redis key prefix, so suites run in parallel
 * without seeing each other's rows or rate-limit counters. Close it in afterAll.
 */
export async function makeTestApp(env: Record<string, string> = {}) {
  const database = await createTestDatabase();
  const { db, sql, close } = openDatabase(database.url, { max: 5 });
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: false });
  const prefix = `rapport-test:${randomBytes(4).toString('hex')}:`;
  const config = {
    ...loadConfig({ REDIS_PREFIX: prefix, ...env }),
    secret: randomBytes(32).toString('hex'),
  };
  const deps: AppDeps = {
    db,
    sql,
    redis,
    config,
    assistant: createAssistantService(db),
    widgetFile: fileURLToPath(new URL('../../dist/widget/widget.js', import.meta.url)),
  };
  const app = createApp(deps);
  return {
    app,
    deps,
    db,
    sql,
    async close() {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      await close();
      await database.drop();
    },
  };
}
