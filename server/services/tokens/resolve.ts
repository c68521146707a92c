import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { apiTokens, staffUsers } from '../../db/schema.js';
import { sha256Hex } from '../auth/secrets.js';

/**
 * The staff member behind a live (unrevoked) API token, or null. Stamps `last_used_at` at most once
 * a minute, so automation hammering the API does not turn every read into a write.
 */
export async function resolveApiToken({ db, token }: { db: Db; token: string }): Promise<{ userId: string; email: string } | null> {
  const tokenHash = sha256Hex(token);
  const [row] = await db
    .select({ id: apiTokens.id, userId: staffUsers.id, email: staffUsers.email })
    .from(apiTokens)
    .innerJoin(staffUsers, eq(staffUsers.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiTokens.id, row.id),
        or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
  return { userId: row.userId, email: row.email };
}
