import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { openDatabase } from './db/client.js';
import type { AppDeps } from './deps.js';
import { projectPath } from './runtime/paths.js';
import { GenerationPool } from '../assistant/policy/generation-pool.js';
import { DEFAULT_POLICY_SERVING } from '../assistant/policy/policy-responder.js';
import { createAssistantService } from './services/assistant/assistant.js';
import { subscribeModelActivated } from './services/assistant/model-activated.js';
import { closeTrainingQueues } from './services/training/queue.js';

export const WIDGET_FILE = projectPath('dist', 'widget', 'widget.js');

/**
 * Connects everything a server process needs (database pool, Redis, assistant and its generation
 * workers, the "model activated" subscription) for `createApp`. `close()` releases them. Migrations
 * and embedded services are the caller's business.
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
  // No auto-pipelining: the hot command, the rate-limit sync, is already one script call every few ms
  // (RateLimitCounters), and wrapping it in a pipeline cost ~60 µs more client CPU per call.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  const log = (line: string) => console.warn(`rapport: ${line}`);
  const generation = new GenerationPool({ workers: config.generationWorkers });
  const assistant = createAssistantService({
    db: database.db,
    pool: generation,
    serving: { ...DEFAULT_POLICY_SERVING, maxNewTokens: config.generationMaxTokens, temperature: config.generationTemperature, copyBias: config.generationCopyBias },
    log,
  });
  const activations = subscribeModelActivated({
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
    onMessage: (m) => {
      if (m.kind === 'policy') assistant.invalidate(m.siteId);
    },
    log,
  });
  const deps: AppDeps = {
    db: database.db,
    sql: database.sql,
    redis,
    config,
    assistant,
    generation,
    modelActivations: activations.ready,
    widgetFile: WIDGET_FILE,
  };
  return {
    deps,
    async close() {
      await activations.close();
      await generation.close();
      await closeTrainingQueues(deps);
      redis.disconnect();
      await database.close();
    },
  };
}
