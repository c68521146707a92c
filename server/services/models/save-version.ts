import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { modelArtifacts, modelVersions, type ModelVersion } from '../../db/schema.js';

/**
 * Stores a checkpoint (the bytes `assistant/model/checkpoint.ts` writes) and a version row pointing at
 * it. Artifacts are content-addressed by sha256, so saving the same weights twice stores them once.
 */
export async function saveModelVersion({
  db,
  input,
}: {
  db: Db;
  input: {
    siteId: string | null;
    kind: 'policy' | 'reward';
    name: string;
    bytes: Uint8Array;
    config?: Record<string, unknown>;
    metrics?: Record<string, number>;
    parentId?: string | null;
    trainingRunId?: string | null;
  };
}): Promise<ModelVersion> {
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  return db.transaction(async (tx) => {
    await tx
      .insert(modelArtifacts)
      .values({ sha256, bytes: Buffer.from(input.bytes), size: input.bytes.byteLength })
      .onConflictDoNothing();
    const [version] = await tx
      .insert(modelVersions)
      .values({
        siteId: input.siteId,
        kind: input.kind,
        name: input.name,
        artifactSha256: sha256,
        config: input.config ?? {},
        metrics: input.metrics ?? {},
        parentId: input.parentId ?? null,
        trainingRunId: input.trainingRunId ?? null,
      })
      .returning();
    return version!;
  });
}
