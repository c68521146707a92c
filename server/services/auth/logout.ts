import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { staffSessions } from '../../db/schema.js';
import { sha256Hex } from './secrets.js';

/** Ends a cookie session: the token stops working at once. An unknown token is a no-op. */
export async function logout({ db, sessionToken }: { db: Db; sessionToken: string }): Promise<void> {
  await db.delete(staffSessions).where(eq(staffSessions.tokenHash, sha256Hex(sessionToken)));
}
