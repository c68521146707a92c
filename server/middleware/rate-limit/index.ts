import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../deps.js';
import { rateLimited } from '../../errors.js';
import { rateLimitCounters } from './counters.js';

export interface RateLimitRule {
  /** Name in the Redis key ("ip", "visitor"). */
  name: string;
  /** The subject counted (an IP, a visitor id); null skips this rule for the request. */
  key: (c: Context<AppEnv>) => string | null;
  /** Requests allowed per window. */
  limit: (c: Context<AppEnv>) => number;
}

/**
 * Counts one request against each rule; over any limit → throws 429 with Retry-After. Fixed-window
 * counters shared through Redis, counted in this process first and synced in the background (see
 * counters.ts), so the request never waits for Redis. Fixed windows allow a burst of 2× at a boundary;
 * that is accepted for abuse protection, which is all this is.
 */
export function checkRateLimits(c: Context<AppEnv>, rules: readonly RateLimitRule[], windowS = 60): void {
  const { redis, config } = c.get('deps');
  const window = Math.floor(Date.now() / 1000 / windowS);
  const keys: string[] = [];
  const limits: number[] = [];
  for (const rule of rules) {
    const subject = rule.key(c);
    if (subject === null) continue;
    keys.push(`${config.redisPrefix}rl:${rule.name}:${subject}:${window}`);
    limits.push(rule.limit(c));
  }
  if (keys.length === 0) return;
  const counts = rateLimitCounters(redis, windowS * 2, warnRedisDown).hit(keys);
  if (counts.some((n, i) => n > limits[i]!)) {
    throw rateLimited(windowS - (Math.floor(Date.now() / 1000) % windowS));
  }
}

function warnRedisDown(err: Error): void {
  console.warn(`rapport: rate-limit counters could not reach Redis (${err.message}); each server counts on its own until it answers`);
}

/** `checkRateLimits` as middleware: over the limit → 429, before any work is done. */
export function rateLimit(options: { rules: RateLimitRule[]; windowS?: number }): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    checkRateLimits(c, options.rules, options.windowS);
    return next();
  };
}
