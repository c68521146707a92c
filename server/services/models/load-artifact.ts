import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { modelArtifacts, modelVersions } from '../../db/schema.js';
import { notFound } from '../../errors.js';

/** The checkpoint bytes of a model version, verified against their sha256 (a corrupt row is an error). */
export async function loadModelArtifact({ db, versionId }: { db: Db; versionId: string }): Promise<Uint8Array> {
  const [row] = await db
    .select({ sha256: modelArtifacts.sha256, bytes: modelArtifacts.bytes })
    .from(modelVersions)
    .innerJoin(modelArtifacts, eq(modelArtifacts.sha256, modelVersions.artifactSha256))
    .where(eq(modelVersions.id, versionId));
  if (!row) throw notFound('model version');
  const actual = createHash('sha256').update(row.bytes).digest('hex');
  if (actual !== row.sha256) {
    throw new Error(`model artifact ${row.sha256} is corrupt (its bytes hash to ${actual}): retrain or restore it`);
  }
  return new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
}
