import { and, desc, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { modelVersions, type ModelVersion } from '../../db/schema.js';

/** Statuses a version can be trained from: anything evaluation did not reject. */
const USABLE = ['ready', 'candidate', 'active', 'retired'] as const;

/**
 * The model an SFT run starts from, given its config's `base`: `none` → null (fresh model); `auto` →
 * the newest shared base policy (site null), or null when none is installed; an id → that policy if
 * it belongs to the site or is shared, else undefined (the caller reports it).
 */
export async function findBaseModel({ db, siteId, base }: { db: Db; siteId: string; base: string }): Promise<ModelVersion | null | undefined> {
  if (base === 'none') return null;
  if (base === 'auto') {
    const [newest] = await db
      .select()
      .from(modelVersions)
      .where(and(isNull(modelVersions.siteId), eq(modelVersions.kind, 'policy'), inArray(modelVersions.status, [...USABLE])))
      .orderBy(desc(modelVersions.createdAt))
      .limit(1);
    return newest ?? null;
  }
  const [version] = await db
    .select()
    .from(modelVersions)
    .where(
      and(
        eq(modelVersions.id, base),
        eq(modelVersions.kind, 'policy'),
        inArray(modelVersions.status, [...USABLE]),
        or(eq(modelVersions.siteId, siteId), isNull(modelVersions.siteId)),
      ),
    );
  return version;
}
