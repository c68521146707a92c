import { eq } from 'drizzle-orm';
import { UpdateSiteRequest } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { sites, type Site } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import { validate } from '../../http/parse.js';
import { recordAudit } from '../audit/record.js';
import { normalizeOrigins } from './origins.js';

/**
 * Changes any subset of a site's settings (the caller checked the role). Everything is validated
 * before the write, so a bad field changes nothing. The audit row keeps the fields that were sent.
 */
export async function updateSite({
  db,
  siteId,
  actorUserId,
  input,
}: {
  db: Db;
  siteId: string;
  actorUserId: string;
  input: UpdateSiteRequest;
}): Promise<Site> {
  const patch = validate(UpdateSiteRequest, input);
  if (patch.allowedOrigins) patch.allowedOrigins = normalizeOrigins(patch.allowedOrigins);
  return db.transaction(async (tx) => {
    const [site] = Object.keys(patch).length
      ? await tx.update(sites).set(patch).where(eq(sites.id, siteId)).returning()
      : await tx.select().from(sites).where(eq(sites.id, siteId));
    if (!site) throw notFound('site');
    if (Object.keys(patch).length) {
      await recordAudit(tx, { siteId, actorUserId, action: 'site.update', target: siteId, data: patch });
    }
    return site;
  });
}
