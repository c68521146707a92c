import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { openDatabase } from './db/client.js';
import type { AppDeps } from './deps.js';
import { projectPath } from './runtime/paths.js';
import { createAssistantService } from './services/assistant/assistant.js';
import { closeTrainingQueues } from './services/training/queue.js';

export const WIDGET_FILE = projectPath('dist', 'widget', 'widget.js');

/**
 * Connects everything a server process needs (database pool, Redis, assistant) for `createApp`.
 * `close()` releases them. Migrations and embedded services are the caller's business.
 */
export function buildDeps({
  config,
  databaseUrl,
  poolSize = 10,
}: {
  config: Config & { secret: string };
  databaseUrl: string;
  poolSize?: number;
}): { deps: AppDeps; close(): Promise<void> } {
  const database = openDatabase(databaseUrl, { max: poolSize });
  // Auto-pipelining sends the commands of concurrent requests in one write (rate limits: ~25% less CPU).
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  const deps: AppDeps = {
    db: database.db,
    sql: database.sql,
    redis,
    config,
    assistant: createAssistantService(database.db),
    widgetFile: WIDGET_FILE,
  };
  return {
    deps,
    async close() {
      await closeTrainingQueues(deps);
      redis.disconnect();
      await database.close();
    },
  };
}
