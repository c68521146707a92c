import { asc, eq } from 'drizzle-orm';
import type { SiteView } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { memberships, sites } from '../../db/schema.js';
import { siteView } from './view.js';

/** The sites the staff member is a member of, oldest first, each with their role. */
export async function listSites({ db, userId }: { db: Db; userId: string }): Promise<SiteView[]> {
  const rows = await db
    .select({ site: sites, role: memberships.role })
    .from(memberships)
    .innerJoin(sites, eq(sites.id, memberships.siteId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(sites.createdAt), asc(sites.id));
  return rows.map((r) => siteView(r.site, r.role));
}
