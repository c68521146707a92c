import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import type { AppEnv } from '../../deps.js';
import { rateLimited } from '../../errors.js';

export interface RateLimitRule {
  /** Name in the Redis key ("ip", "visitor"). */
  name: string;
  /** The subject counted (an IP, a visitor id); null skips this rule for the request. */
  key: (c: Context<AppEnv>) => string | null;
  /** Requests allowed per window. */
  limit: (c: Context<AppEnv>) => number;
}

/** Increments every key (setting its expiry on first use) and returns the new counts: one command. */
const HIT = `
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('INCR', key)
  if out[i] == 1 then redis.call('EXPIRE', key, ARGV[1]) end
end
return out`;

type WithHit = Redis & { rapportHit(numKeys: number, ...args: (string | number)[]): Promise<number[]> };

function withHit(redis: Redis): WithHit {
  if (!('rapportHit' in redis)) redis.defineCommand('rapportHit', { lua: HIT });
  return redis as WithHit;
}

/**
 * Fixed-window counters in Redis, all rules of a request in one script call (one round trip, one
 * command). Fixed windows allow a burst of 2× at a boundary; that is accepted for abuse protection,
 * which is all this is. Over the limit → 429 with Retry-After, before any work is done.
 */
export function rateLimit(options: { rules: RateLimitRule[]; windowS?: number }): MiddlewareHandler<AppEnv> {
  const windowS = options.windowS ?? 60;
  return async function rateLimitMiddleware(c, next) {
    const { redis, config } = c.get('deps');
    const window = Math.floor(Date.now() / 1000 / windowS);
    const keys: string[] = [];
    const limits: number[] = [];
    for (const rule of options.rules) {
      const subject = rule.key(c);
      if (subject === null) continue;
      keys.push(`${config.redisPrefix}rl:${rule.name}:${subject}:${window}`);
      limits.push(rule.limit(c));
    }
    if (keys.length === 0) return next();
    const counts = await withHit(redis).rapportHit(keys.length, ...keys, windowS * 2);
    if (counts.some((n, i) => n > limits[i]!)) {
      throw rateLimited(windowS - (Math.floor(Date.now() / 1000) % windowS));
    }
    return next();
  };
}
