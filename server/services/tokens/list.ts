import { desc, eq } from 'drizzle-orm';
import type { TokenView } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { apiTokens } from '../../db/schema.js';

/** The caller's API tokens, newest first (never the secrets: only their hashes are stored). */
export async function listApiTokens({ db, userId }: { db: Db; userId: string }): Promise<TokenView[]> {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  }));
}
