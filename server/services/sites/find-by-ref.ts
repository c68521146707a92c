import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { sites, type Site } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { ErrorCode } from '../../../protocol/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A site by its id or its public key (`pk_…`), for command-line tools where either is at hand. */
export async function findSiteByRef({ db, ref }: { db: Db; ref: string }): Promise<Site> {
  const [site] = await db
    .select()
    .from(sites)
    .where(UUID.test(ref) ? eq(sites.id, ref.toLowerCase()) : eq(sites.publicKey, ref));
  if (!site) throw new AppError(404, ErrorCode.notFound, `no site with id or key "${ref}": list sites with GET /v1/admin/sites`);
  return site;
}
