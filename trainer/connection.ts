/**
 * Redis connections for BullMQ. The trainer reads REDIS_URL and REDIS_PREFIX with the server's own
 * loadConfig (server/config.ts), so both always agree. BullMQ namespaces keys with its `prefix`
 * option (it refuses ioredis `keyPrefix`), so every queue key starts with REDIS_PREFIX like the
 * server's other keys: `rapport:` → `rapport:bull:sft:…`.
 */
import { Redis, type RedisOptions } from 'ioredis';

/** BullMQ's `prefix` option for a REDIS_PREFIX. */
export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}bull`;
}

/**
 * A connection for a Worker (or QueueEvents): BullMQ needs `maxRetriesPerRequest: null` on connections
 * that block, or it throws. Each Worker gets its own; BullMQ duplicates it for its blocking client.
 */
export function workerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { ...options, maxRetriesPerRequest: null });
}

/** Closes a connection we created: QUIT when it is up, else just drop it (never hangs on a dead Redis). */
export async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}
