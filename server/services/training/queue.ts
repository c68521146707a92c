/**
 * The server's producers for the trainer's queues, made on first use from the app's Redis settings:
 * a separate connection (a duplicate of `deps.redis`, without auto-pipelining), one per AppDeps.
 * They close when `deps.redis` ends (build-deps' close disconnects it), or explicitly with
 * `closeTrainingQueues(deps)`.
 */
import type { AppDeps } from '../../deps.js';
import { bullPrefix, closeConnection } from '../../../trainer/connection.js';
import { createProducers, type Producers } from '../../../trainer/producers.js';

const byDeps = new WeakMap<AppDeps, { producers: Producers; close(): Promise<void> }>();

export function trainingProducers(deps: AppDeps): Producers {
  let entry = byDeps.get(deps);
  if (!entry) {
    // A producer keeps a retry limit (BullMQ's advice for queues): with Redis down the enqueue fails in
    // well under a second and the request answers 503 instead of hanging.
    const connection = deps.redis.duplicate({ enableAutoPipelining: false, maxRetriesPerRequest: 2 });
    connection.on('error', () => {}); // reported by the failing enqueue; ioredis would print each retry otherwise
    // One line per distinct problem, not one per reconnection attempt.
    let lastError = '';
    const onError = (err: Error) => {
      if (err.message !== lastError) console.error(`rapport: training queue: ${(lastError = err.message)}`);
    };
    const producers = createProducers({ connection, prefix: bullPrefix(deps.config.redisPrefix), onError });
    let closing: Promise<void> | undefined;
    const created = {
      producers,
      close: () =>
        (closing ??= (async () => {
          byDeps.delete(deps);
          await producers.close().catch(() => {});
          await closeConnection(connection);
        })()),
    };
    deps.redis.once('end', () => void created.close());
    byDeps.set(deps, created);
    entry = created;
  }
  return entry.producers;
}

/** Closes the producers made for `deps` (no-op when none were made). */
export async function closeTrainingQueues(deps: AppDeps): Promise<void> {
  await byDeps.get(deps)?.close();
}
