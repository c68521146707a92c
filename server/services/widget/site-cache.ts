import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { sites, type Site } from '../../db/schema.js';

/**
 * Sites are read on every widget request (origin allowlist, compare rate, knowledge version) and change
 * rarely, so each process keeps them for a few seconds. A staff change is seen within `ttlMs`.
 */
export class SiteCache {
  private readonly byKey = new Map<string, { site: Site | null; at: number }>();
  private readonly byId = new Map<string, { site: Site | null; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 5_000,
  ) {}

  byPublicKey(key: string): Promise<Site | null> {
    return this.get(this.byKey, key, () => this.db.select().from(sites).where(eq(sites.publicKey, key)).limit(1));
  }

  byIdentifier(id: string): Promise<Site | null> {
    return this.get(this.byId, id, () => this.db.select().from(sites).where(eq(sites.id, id)).limit(1));
  }

  private async get(map: Map<string, { site: Site | null; at: number }>, k: string, load: () => Promise<Site[]>) {
    const hit = map.get(k);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.site;
    const site = (await load())[0] ?? null;
    map.set(k, { site, at: Date.now() });
    if (map.size > 10_000) map.delete(map.keys().next().value!);
    return site;
  }
}

const caches = new WeakMap<Db, SiteCache>();
/** One cache per database handle (tests run several apps in one process). */
export function siteCache(db: Db): SiteCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new SiteCache(db)));
  return cache;
}
