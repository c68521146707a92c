import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { apiTokens } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import { recordAudit } from '../audit/record.js';

/**
 * Revokes one of the caller's tokens; it fails from the next request on. Revoking twice is fine;
 * another user's token is a 404.
 */
export async function revokeApiToken({ db, userId, tokenId }: { db: Db; userId: string; tokenId: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const [owned] = await tx
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)));
    if (!owned) throw notFound('token');
    const revoked = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (revoked.length) await recordAudit(tx, { actorUserId: userId, action: 'token.revoke', target: tokenId });
  });
}
