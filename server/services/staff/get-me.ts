import { asc, eq } from 'drizzle-orm';
import type { MeResponse } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { memberships, sites, staffUsers } from '../../db/schema.js';
import { unauthorized } from '../../errors.js';

/** The signed-in staff member and the sites they work on. */
export async function getMe({ db, userId }: { db: Db; userId: string }): Promise<Omit<MeResponse, 'csrfToken'>> {
  const [user] = await db.select({ id: staffUsers.id, email: staffUsers.email }).from(staffUsers).where(eq(staffUsers.id, userId));
  if (!user) throw unauthorized('this account no longer exists: sign in again');
  const rows = await db
    .select({ id: sites.id, name: sites.name, role: memberships.role })
    .from(memberships)
    .innerJoin(sites, eq(sites.id, memberships.siteId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(sites.createdAt), asc(sites.id));
  return { user, sites: rows };
}
