import { eq } from 'drizzle-orm';
import { CreateSiteRequest } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { memberships, sites, staffUsers, type Site } from '../../db/schema.js';
import { conflict, notFound } from '../../errors.js';
import { validate } from '../../http/parse.js';
import { recordAudit } from '../audit/record.js';
import { normalizeOrigins } from './origins.js';
import { generatePublicKey } from './public-key.js';

/**
 * Creates a site, makes `ownerUserId` its owner, and records it in the audit trail, in one
 * transaction. Origins are validated and normalised; the public key is generated unless given
 * (a given key already in use is a 409).
 */
export async function createSite({
  db,
  input,
  ownerUserId,
}: {
  db: Db;
  input: CreateSiteRequest;
  ownerUserId: string;
}): Promise<Site> {
  // Also reached from the CLI and the demo seed, which bypass the route's parsing.
  const settings = validate(CreateSiteRequest, input);
  const allowedOrigins = normalizeOrigins(settings.allowedOrigins);
  return db.transaction(async (tx) => {
    const [owner] = await tx.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.id, ownerUserId));
    if (!owner) throw notFound('staff user');
    const [site] = await tx
      .insert(sites)
      .values({ ...settings, allowedOrigins, publicKey: settings.publicKey ?? generatePublicKey() })
      .onConflictDoNothing({ target: sites.publicKey })
      .returning();
    if (!site) throw conflict(`the site key ${settings.publicKey} is already used by another site: choose another`);
    await tx.insert(memberships).values({ userId: ownerUserId, siteId: site.id, role: 'owner' });
    await recordAudit(tx, {
      siteId: site.id,
      actorUserId: ownerUserId,
      action: 'site.create',
      target: site.id,
      data: { name: site.name, allowedOrigins },
    });
    return site;
  });
}
