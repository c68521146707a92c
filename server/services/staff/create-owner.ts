import { staffUsers } from '../../db/schema.js';
import type { Db } from '../../db/client.js';
import { badRequest, conflict } from '../../errors.js';
import { recordAudit } from '../audit/record.js';
import { hashPassword } from '../auth/password.js';
import { ErrorCode } from '../../../protocol/errors.js';

export const MIN_PASSWORD_CHARS = 8;

/**
 * Creates a staff account (argon2id password hash, email lower-cased). It owns no site yet: whoever
 * creates a site becomes its owner. An email already registered is a 409.
 */
export async function createOwner({
  db,
  input,
}: {
  db: Db;
  input: { email: string; password: string };
}): Promise<{ id: string; email: string }> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 320) {
    throw badRequest(`email: "${input.email}" is not an email address`, ErrorCode.validation);
  }
  if (input.password.length < MIN_PASSWORD_CHARS) {
    throw badRequest(`password: use at least ${MIN_PASSWORD_CHARS} characters`, ErrorCode.validation);
  }
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(staffUsers)
      .values({ email, passwordHash })
      .onConflictDoNothing({ target: staffUsers.email })
      .returning({ id: staffUsers.id, email: staffUsers.email });
    if (!user) throw conflict(`a staff account for ${email} already exists: sign in, or use another email`);
    await recordAudit(tx, { actorUserId: user.id, action: 'staff.create', target: user.id, data: { email } });
    return user;
  });
}
