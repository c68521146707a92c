import type { Redis } from 'ioredis';

/** Increments every key (setting its expiry on first use) and returns the new counts: one command. */
const HIT = `
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('INCR', key)
  if out[i] == 1 then redis.call('EXPIRE', key, ARGV[1]) end
end
return out`;

/** Script calls in flight at once; hits arriving meanwhile wait and go together in the next call. */
const MAX_IN_FLIGHT = 1;

type WithHit = Redis & { rapportHit(numKeys: number, ...args: (string | number)[]): Promise<number[]> };

function withHit(redis: Redis): WithHit {
  if (!('rapportHit' in redis)) redis.defineCommand('rapportHit', { lua: HIT });
  return redis as WithHit;
}

/**
 * Rate-limit counter hits of all requests that reach the limiter in one event-loop turn (or while the
 * previous call is out), sent as ONE script call: one command to build, send, run and parse, and one wake-up
 * of Redis, instead of one per request. Exact: every key
 * of every request is still incremented once, in arrival order — a key that appears twice in a batch is
 * simply incremented twice — and each request gets its own new counts.
 */
export class RateLimitHits {
  private pending: { keys: string[]; resolve: (counts: number[]) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly redis: Redis,
    /** Counter lifetime (two windows, so a window's counter outlives its window). */
    private readonly expireS: number,
  ) {}

  /** Increments `keys` and resolves with their new counts, in order. */
  hit(keys: string[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ keys, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.pending.length === 0 || this.inFlight >= MAX_IN_FLIGHT) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    const keys = batch.length === 1 ? batch[0]!.keys : batch.flatMap((b) => b.keys);
    this.inFlight++;
    withHit(this.redis)
      .rapportHit(keys.length, ...keys, this.expireS)
      .finally(() => {
        this.inFlight--;
        this.schedule();
      })
      .then(
        (counts) => {
          let at = 0;
          for (const b of batch) {
            b.resolve(counts.slice(at, at + b.keys.length));
            at += b.keys.length;
          }
        },
        (err) => batch.forEach((b) => b.reject(err)),
      );
  };
}

const hitters = new WeakMap<Redis, Map<number, RateLimitHits>>();

/** The batcher of `redis` for counters living `expireS` seconds. */
export function rateLimitHits(redis: Redis, expireS: number): RateLimitHits {
  let byExpiry = hitters.get(redis);
  if (!byExpiry) hitters.set(redis, (byExpiry = new Map()));
  let hits = byExpiry.get(expireS);
  if (!hits) byExpiry.set(expireS, (hits = new RateLimitHits(redis, expireS)));
  return hits;
}
