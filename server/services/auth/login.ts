import { and, eq, lt } from 'drizzle-orm';
import type { LoginRequest } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { staffSessions, staffUsers } from '../../db/schema.js';
import { unauthorized } from '../../errors.js';
import { recordAudit } from '../audit/record.js';
import { burnPasswordCheck, verifyPassword } from './password.js';
import { randomSecret, sha256Hex } from './secrets.js';

export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export interface LoginResult {
  user: { id: string; email: string };
  /** Goes into the `rapport_session` cookie; only its sha256 is stored. */
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
}

/** One message for unknown email and wrong password: the response must not reveal which accounts exist. */
const BAD_CREDENTIALS = 'email or password is wrong: check both and try again';

/** Checks the password (argon2 verify) and opens a 14-day session. Also drops the user's expired sessions. */
export async function login({ db, input }: { db: Db; input: LoginRequest }): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.email, email));
  if (!user) {
    await burnPasswordCheck(input.password);
    throw unauthorized(BAD_CREDENTIALS);
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) throw unauthorized(BAD_CREDENTIALS);

  const sessionToken = randomSecret();
  const csrfToken = randomSecret();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.transaction(async (tx) => {
    await tx
      .delete(staffSessions)
      .where(and(eq(staffSessions.userId, user.id), lt(staffSessions.expiresAt, new Date())));
    await tx.insert(staffSessions).values({ tokenHash: sha256Hex(sessionToken), userId: user.id, csrfToken, expiresAt });
    await recordAudit(tx, { actorUserId: user.id, action: 'auth.login', target: user.id });
  });
  return { user: { id: user.id, email: user.email }, sessionToken, csrfToken, expiresAt };
}
