import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { staffSessions, staffUsers } from '../../db/schema.js';
import { sha256Hex } from './secrets.js';

export interface StaffSession {
  userId: string;
  email: string;
  csrfToken: string;
  /** sha256 of the cookie value: the session's primary key. */
  tokenHash: string;
}

/** The live (unexpired) session behind a cookie value, or null. */
export async function resolveSession({ db, sessionToken }: { db: Db; sessionToken: string }): Promise<StaffSession | null> {
  const tokenHash = sha256Hex(sessionToken);
  const [row] = await db
    .select({ userId: staffUsers.id, email: staffUsers.email, csrfToken: staffSessions.csrfToken })
    .from(staffSessions)
    .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.userId))
    .where(and(eq(staffSessions.tokenHash, tokenHash), gt(staffSessions.expiresAt, new Date())));
  return row ? { ...row, tokenHash } : null;
}
