import type { Db } from '../../db/client.js';
import { apiTokens } from '../../db/schema.js';
import { recordAudit } from '../audit/record.js';
import { randomSecret, sha256Hex } from '../auth/secrets.js';

/** Prefix that makes a leaked token recognisable (secret scanners, logs). */
export const API_TOKEN_PREFIX = 'rk_';

/**
 * Creates an API token for automation: `rk_` + 32 random bytes (base64url). Only its sha256 is
 * stored, so the token is returned once, here. It acts with the user's own memberships.
 */
export async function createApiToken({
  db,
  userId,
  name,
}: {
  db: Db;
  userId: string;
  name?: string;
}): Promise<{ id: string; token: string }> {
  const token = API_TOKEN_PREFIX + randomSecret(32);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({ userId, tokenHash: sha256Hex(token), ...(name ? { name } : {}) })
      .returning({ id: apiTokens.id, name: apiTokens.name });
    await recordAudit(tx, { actorUserId: userId, action: 'token.create', target: row!.id, data: { name: row!.name } });
    return { id: row!.id, token };
  });
}
