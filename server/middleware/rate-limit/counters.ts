import type { Redis } from 'ioredis';

/**
 * Adds each key's increment (setting its expiry when the key is new) and returns the new totals: one
 * command for every key a sync carries.
 */
const ADD = `
local out = {}
for i, key in ipairs(KEYS) do
  local by = tonumber(ARGV[i + 1])
  out[i] = redis.call('INCRBY', key, by)
  if out[i] == by then redis.call('EXPIRE', key, ARGV[1]) end
end
return out`;

/** How long this process's hits wait before they are added to Redis (one script call per sync). */
const SYNC_MS = 5;
/** How often counters whose window is over are forgotten. */
const SWEEP_MS = 1_000;

type WithAdd = Redis & { rapportAdd(numKeys: number, ...args: (string | number)[]): Promise<number[]> };

function withAdd(redis: Redis): WithAdd {
  if (!('rapportAdd' in redis)) redis.defineCommand('rapportAdd', { lua: ADD });
  return redis as WithAdd;
}

interface Counter {
  /** The shared total in Redis as of this process's last sync of the key. */
  known: number;
  /** This process's hits in the sync in flight. */
  sent: number;
  /** This process's hits not sent yet. */
  pending: number;
  /** When the key's window (and its Redis expiry) is over: then it is forgotten here too. */
  forgetAt: number;
}

/**
 * Rate-limit counters shared by every server through Redis, counted here first: a hit is counted at
 * once against the shared total as of the last sync plus this process's own hits since, and the hits are
 * added to Redis in the background, all keys in one script call every SYNC_MS (5 ms). So no request waits
 * for Redis, and Redis sees a few hundred calls a second whatever the load. Before, every request waited
 * for a round trip to Redis (batched per event-loop turn): with the thumbs' database write taken out of
 * the ingest bench, that wait alone held the real server to ~0.5–0.6× the bare echo's rps, at ~1.8× its
 * CPU per request; counted here, ~1× (README, Benchmarks).
 *
 * The trade: one process never admits more than a limit allows (its own hits are always counted), but
 * hits other servers took in the last sync interval (plus a round trip) are seen that much later, so
 * across N servers a key can pass its limit by what N − 1 servers admit in ~5 ms. For abuse protection
 * that is fine; the fixed windows already allow 2× at a boundary. If Redis fails, the hits stay pending
 * and are sent with the next sync: limits keep holding per server meanwhile.
 */
export class RateLimitCounters {
  private readonly counters = new Map<string, Counter>();
  /** Keys with pending hits: what the next sync sends. */
  private readonly dirty = new Set<string>();
  private syncTimer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  private failing = false;
  private nextSweep = 0;

  constructor(
    private readonly redis: Redis,
    /** Counter lifetime in seconds (two windows, so a window's counter outlives its window). */
    private readonly expireS: number,
    private readonly options: {
      syncMs?: number;
      /** Told when syncs start failing (once, until one succeeds again). */
      onError?: (err: Error) => void;
    } = {},
  ) {}

  /** Counts one hit on each key; returns each key's count with this hit included, in order. */
  hit(keys: readonly string[], now = Date.now()): number[] {
    const counts = keys.map((key) => {
      let c = this.counters.get(key);
      if (!c) this.counters.set(key, (c = { known: 0, sent: 0, pending: 0, forgetAt: now + this.expireS * 1000 }));
      c.pending++;
      this.dirty.add(key);
      return c.known + c.sent + c.pending;
    });
    this.scheduleSync();
    return counts;
  }

  /** Sends every pending hit now and resolves once Redis has them, or the sync failed (tests use it to wait for Redis). */
  async flush(): Promise<void> {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = null;
    await this.syncing;
    await this.sync();
  }

  private scheduleSync(): void {
    if (this.syncTimer || this.syncing || this.dirty.size === 0) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      void this.sync();
    }, this.options.syncMs ?? SYNC_MS);
    this.syncTimer.unref();
  }

  private sync(): Promise<void> {
    const now = Date.now();
    if (now >= this.nextSweep) this.sweep(now);
    if (this.dirty.size === 0) return Promise.resolve();
    // 1. Take every pending hit.
    const keys = [...this.dirty];
    this.dirty.clear();
    const adds = keys.map((key) => {
      const c = this.counters.get(key)!;
      c.sent = c.pending;
      c.pending = 0;
      return c.sent;
    });
    // 2. Add them to Redis in one call; 3. the totals it answers include them and every other server's.
    this.syncing = withAdd(this.redis)
      .rapportAdd(keys.length, ...keys, this.expireS, ...adds)
      .then(
        (totals) => {
          keys.forEach((key, i) => {
            const c = this.counters.get(key)!;
            c.known = totals[i]!;
            c.sent = 0;
          });
          this.failing = false;
        },
        (err: unknown) => {
          // Kept for the next sync; the counts here stay right meanwhile.
          for (const key of keys) {
            const c = this.counters.get(key)!;
            c.pending += c.sent;
            c.sent = 0;
            this.dirty.add(key);
          }
          if (!this.failing) this.options.onError?.(err instanceof Error ? err : new Error(String(err)));
          this.failing = true;
        },
      )
      .finally(() => {
        this.syncing = null;
        this.scheduleSync();
      });
    return this.syncing;
  }

  /**
   * Forgets counters whose window is over (Redis expires its copies at the same time), with any hits
   * still pending: nothing asks about that window again, and a long Redis outage does not grow the map.
   */
  private sweep(now: number): void {
    this.nextSweep = now + SWEEP_MS;
    for (const [key, c] of this.counters) {
      if (c.forgetAt > now || c.sent > 0) continue;
      this.counters.delete(key);
      this.dirty.delete(key);
    }
  }
}

const shared = new WeakMap<Redis, Map<number, RateLimitCounters>>();

/** The counters of `redis` for keys living `expireS` seconds (one set per Redis client and lifetime). */
export function rateLimitCounters(redis: Redis, expireS: number, onError?: (err: Error) => void): RateLimitCounters {
  let byExpiry = shared.get(redis);
  if (!byExpiry) shared.set(redis, (byExpiry = new Map()));
  let counters = byExpiry.get(expireS);
  if (!counters) byExpiry.set(expireS, (counters = new RateLimitCounters(redis, expireS, { onError })));
  return counters;
}
