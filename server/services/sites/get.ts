import { and, eq } from 'drizzle-orm';
import type { SiteView } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { memberships, sites } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import { siteView } from './view.js';

/** One site the staff member belongs to; any other site is a 404. */
export async function getSite({ db, userId, siteId }: { db: Db; userId: string; siteId: string }): Promise<SiteView> {
  const [row] = await db
    .select({ site: sites, role: memberships.role })
    .from(sites)
    .innerJoin(memberships, and(eq(memberships.siteId, sites.id), eq(memberships.userId, userId)))
    .where(eq(sites.id, siteId));
  if (!row) throw notFound('site');
  return siteView(row.site, row.role);
}
