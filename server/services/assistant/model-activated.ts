/**
 * "A model was activated" over Redis pub/sub, so every server process swaps to the new policy at
 * once instead of at its next cache expiry. Published by the activation route after the change is
 * committed; each server subscribes on a connection of its own (a subscribed ioredis connection can
 * run no other commands).
 */
import { Redis } from 'ioredis';
import { z } from 'zod';

/** The one channel name, under the deployment's key prefix (deployments sharing a Redis stay apart). */
export function modelActivatedChannel(redisPrefix: string): string {
  return `${redisPrefix}model-activated`;
}

export const ModelActivated = z.object({
  /** The site whose model changed; null for a shared model (every site re-checks). */
  siteId: z.string().nullable(),
  versionId: z.string(),
  kind: z.enum(['policy', 'reward']),
});
export type ModelActivated = z.infer<typeof ModelActivated>;

export async function publishModelActivated(redis: Redis, redisPrefix: string, message: ModelActivated): Promise<void> {
  await redis.publish(modelActivatedChannel(redisPrefix), JSON.stringify(message));
}

export interface ModelActivatedSubscription {
  /** Resolves once the subscription is in place (messages published after it are received). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Calls `onMessage` for each activation; malformed messages are logged and skipped. */
export function subscribeModelActivated({
  redisUrl,
  redisPrefix,
  onMessage,
  log,
}: {
  redisUrl: string;
  redisPrefix: string;
  onMessage: (message: ModelActivated) => void;
  log: (line: string) => void;
}): ModelActivatedSubscription {
  const channel = modelActivatedChannel(redisPrefix);
  // ioredis re-subscribes by itself after a reconnect.
  const subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null });
  subscriber.on('error', (err: Error) => log(`model-activated subscriber: ${err.message} (retrying; REDIS_URL ${redisUrl})`));
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    let parsed;
    try {
      parsed = ModelActivated.safeParse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) {
      log(`ignoring a malformed ${channel} message: ${text.slice(0, 200)}`);
      return;
    }
    onMessage(parsed.data);
  });
  const ready = subscriber.subscribe(channel).then(() => undefined);
  ready.catch(() => {}); // surfaced through `ready` to whoever awaits it
  return {
    ready,
    async close() {
      subscriber.disconnect();
    },
  };
}
