import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { staffUsers } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { ErrorCode } from '../../../protocol/errors.js';

/** The account the demo seed creates; command-line tools act as it when no email is given. */
export const DEMO_OWNER_EMAIL = 'demo@rapport.local';

/**
 * The staff account a command-line action runs as: the given email; else the demo owner; else the
 * first account created (on a fresh install, the one `create-owner` made).
 */
export async function findStaffUser({ db, email }: { db: Db; email?: string }): Promise<{ id: string; email: string }> {
  const columns = { id: staffUsers.id, email: staffUsers.email };
  if (email) {
    const [user] = await db.select(columns).from(staffUsers).where(eq(staffUsers.email, email.trim().toLowerCase()));
    if (!user) throw new AppError(404, ErrorCode.notFound, `no staff account ${email}: create it with create-owner`);
    return user;
  }
  const [demo] = await db.select(columns).from(staffUsers).where(eq(staffUsers.email, DEMO_OWNER_EMAIL));
  if (demo) return demo;
  const [first] = await db.select(columns).from(staffUsers).orderBy(asc(staffUsers.createdAt), asc(staffUsers.id)).limit(1);
  if (!first) {
    throw new AppError(404, ErrorCode.notFound, 'there is no staff account yet: run create-owner --email E --password P first');
  }
  return first;
}
