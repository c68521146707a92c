/**
 * The trainer process: `npm run trainer` (tsx trainer/main.ts). Same configuration as the server
 * (DATABASE_URL, else the embedded Postgres of DATA_DIR; REDIS_URL; REDIS_PREFIX), plus
 * TRAINER_SFT_CONCURRENCY. Applies migrations first (under the shared advisory lock), then runs the
 * workers until SIGTERM/SIGINT: the first signal lets the running job finish and closes everything;
 * a second exits at once (the job's lock then expires and BullMQ hands it to the next worker, which
 * restarts the run from step 0).
 */
import { Redis } from 'ioredis';
import { z } from 'zod';
import { loadConfig } from '../server/config.js';
import { runMigrations } from '../server/db/migrate.js';
import { resolveDatabaseUrl } from '../server/runtime/database.js';
import { closeOnSignals } from '../server/runtime/shutdown.js';
import { startWorkers } from './workers.js';

const TrainerEnv = z.object({
  /** SFT jobs this process runs at once, each in its own child process. */
  sftConcurrency: z.coerce.number().int().min(1).max(64).default(1),
});

const log = (line: string) => console.log(`rapport trainer: ${line}`);

async function main(): Promise<void> {
  const config = loadConfig();
  const env = TrainerEnv.safeParse({ sftConcurrency: process.env.TRAINER_SFT_CONCURRENCY });
  if (!env.success) throw new Error(`TRAINER_SFT_CONCURRENCY: ${env.error.issues[0]!.message}: use a whole number from 1 to 64, or unset it`);

  await assertRedisAnswers(config.redisUrl);
  const database = await resolveDatabaseUrl(config, { log });
  try {
    await runMigrations(database.url);
  } catch (err) {
    await database.stop();
    throw err;
  }
  const workers = startWorkers({
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
    databaseUrl: database.url,
    sftConcurrency: env.data.sftConcurrency,
    log,
  });
  log(`waiting for jobs (sft concurrency ${env.data.sftConcurrency}, Redis prefix ${config.redisPrefix})`);
  closeOnSignals(async () => {
    await workers.close();
    await database.stop();
  }, log);
}

/** The trainer never starts Redis itself: one it started would die with it, under the server. */
async function assertRedisAnswers(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    const shown = url.replace(/\/\/[^@/]*@/, '//***@');
    throw new Error(`REDIS_URL ${shown} did not answer (${(err as Error).message}): start the server first (npm start runs a local Redis), or start redis-server, or set REDIS_URL`);
  } finally {
    redis.disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(`rapport trainer: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
