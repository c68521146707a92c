import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { modelVersions } from '../../db/schema.js';

export interface SitePolicies {
  /** The policy serving the site's visitors (at most one: a partial unique index). */
  active: { id: string; name: string } | null;
  /** The newest candidate, shown side by side against the active one in comparisons. */
  candidate: { id: string; name: string } | null;
}

/** The site's active and candidate policy versions (ids and names only; bytes are read on demand). */
export async function findSitePolicies({ db, siteId }: { db: Db; siteId: string }): Promise<SitePolicies> {
  const rows = await db
    .select({ id: modelVersions.id, name: modelVersions.name, status: modelVersions.status })
    .from(modelVersions)
    .where(and(eq(modelVersions.siteId, siteId), eq(modelVersions.kind, 'policy'), inArray(modelVersions.status, ['active', 'candidate'])))
    .orderBy(desc(modelVersions.createdAt));
  const pick = (status: string) => {
    const row = rows.find((r) => r.status === status);
    return row ? { id: row.id, name: row.name } : null;
  };
  return { active: pick('active'), candidate: pick('candidate') };
}
