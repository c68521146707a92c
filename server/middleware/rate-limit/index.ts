import type { Context, MiddlewareHandler } from 'hono';
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

/**
 * Fixed-window counters in Redis (`INCR` + `EXPIRE … NX` in one pipeline, one round trip for all
 * rules). Fixed windows allow a burst of 2× at a boundary; that is accepted for abuse protection,
 * which is all this is. Over the limit → 429 with Retry-After, before any work is done.
 */
export function rateLimit(options: { rules: RateLimitRule[]; windowS?: number }): MiddlewareHandler<AppEnv> {
  const windowS = options.windowS ?? 60;
  return async function rateLimitMiddleware(c, next) {
    const { redis, config } = c.get('deps');
    const window = Math.floor(Date.now() / 1000 / windowS);
    const checks = options.rules
      .map((rule) => ({ rule, subject: rule.key(c) }))
      .filter((x): x is { rule: RateLimitRule; subject: string } => x.subject !== null);
    if (checks.length === 0) return next();
    const pipe = redis.pipeline();
    for (const { rule, subject } of checks) {
      const key = `${config.redisPrefix}rl:${rule.name}:${subject}:${window}`;
      pipe.incr(key).expire(key, windowS * 2, 'NX');
    }
    const results = (await pipe.exec()) ?? [];
    for (let i = 0; i < checks.length; i++) {
      const [err, count] = results[i * 2] ?? [];
      if (err) throw err;
      if (Number(count) > checks[i]!.rule.limit(c)) {
        throw rateLimited(windowS - (Math.floor(Date.now() / 1000) % windowS));
      }
    }
    return next();
  };
}
