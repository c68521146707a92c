import { and, eq } from 'drizzle-orm';
import type { StaffRole } from '../../../protocol/admin.js';
import type { Db, Tx } from '../../db/client.js';
import { memberships } from '../../db/schema.js';
import { forbidden, notFound } from '../../errors.js';

/**
 * What a role may do on a site. `read`: every member (reviewers read conversations, resolve, correct
 * and export). `manage`: owners and admins (settings, knowledge imports).
 */
export type Access = 'read' | 'manage';

const allowed: Record<Access, readonly StaffRole[]> = {
  read: ['owner', 'admin', 'reviewer'],
  manage: ['owner', 'admin'],
};

export function roleAllows(role: StaffRole, access: Access): boolean {
  return allowed[access].includes(role);
}

/** The staff member's role on a site, or null when they are not a member. */
export async function findSiteRole(db: Db | Tx, userId: string, siteId: string): Promise<StaffRole | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.siteId, siteId)));
  return row?.role ?? null;
}

/**
 * Throws unless the role grants `access`. No role (not a member) is a 404 like a missing site, so
 * staff cannot probe which sites exist; a member with too small a role gets a 403.
 */
export function assertAccess(role: StaffRole | null, access: Access, what = 'site'): StaffRole {
  if (role === null) throw notFound(what);
  if (!roleAllows(role, access)) {
    throw forbidden(`your role on this site is ${role}: ask an owner or admin to do this`);
  }
  return role;
}
