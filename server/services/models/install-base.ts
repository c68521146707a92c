/**
 * Installs the shipped base policy (models/base-policy.rpck, see base-manifest.ts) as a shared model
 * version: site null, kind policy, status ready, named after the manifest. A new site's SFT with
 * `base: "auto"` then starts from it (services/training/base-model.ts), and staff can activate it.
 *
 * Runs at every server start. Idempotent: a base whose sha256 is already installed as a shared policy is
 * left alone. Safe when several servers start at once: the check and the insert run under one
 * transaction-scoped advisory lock per checkpoint.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { modelArtifacts, modelVersions, type ModelVersion } from '../../db/schema.js';
import { BASE_MANIFEST_FILE, readBaseManifest } from './base-manifest.js';
import { projectPath } from '../../runtime/paths.js';

export interface InstallBaseResult {
  version: ModelVersion;
  /** False when this checkpoint was installed already (by an earlier start or another server). */
  installed: boolean;
}

/**
 * Installs the base in `dir` (default: the repository's models/). Returns null when there is no manifest
 * there (a build without models/): SFT then starts fresh models, as before.
 */
export async function installBaseModel({ db, dir = projectPath('models'), log = () => {} }: { db: Db; dir?: string; log?: (line: string) => void }): Promise<InstallBaseResult | null> {
  if (!existsSync(`${dir}/${BASE_MANIFEST_FILE}`)) {
    log(`no shipped base model in ${dir}: site SFT starts from fresh models`);
    return null;
  }
  const { manifest, checkpointPath } = readBaseManifest(dir);
  // 1. the bytes, checked before anything touches the database
  const bytes = readFileSync(checkpointPath);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== manifest.sha256) {
    throw new Error(
      `shipped base model ${checkpointPath} hashes to ${actual.slice(0, 12)}…, not the manifest's ${manifest.sha256.slice(0, 12)}… ` +
        '(a Git LFS pointer, or a partial checkout?): restore models/ from git or rerun npm run train:base',
    );
  }
  // The manifest carries the config: no need to load tfjs into the server to read the checkpoint header.
  const c = manifest.config;

  // 2. check and insert under one lock, so concurrent starts install it once
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`install-base:${manifest.sha256}`}))`);
    const [existing] = await tx
      .select()
      .from(modelVersions)
      .where(and(isNull(modelVersions.siteId), eq(modelVersions.kind, 'policy'), eq(modelVersions.artifactSha256, manifest.sha256)))
      .limit(1);
    if (existing) return { version: existing, installed: false };
    await tx.insert(modelArtifacts).values({ sha256: manifest.sha256, bytes, size: bytes.byteLength }).onConflictDoNothing();
    const [version] = await tx
      .insert(modelVersions)
      .values({
        siteId: null,
        kind: 'policy',
        status: 'ready',
        name: manifest.name,
        artifactSha256: manifest.sha256,
        config: {
          vocabSize: c.vocabSize,
          blockSize: c.blockSize,
          nLayer: c.nLayer,
          nHead: c.nHead,
          nEmbd: c.nEmbd,
          tokenizerVocabSize: manifest.tokenizerVocabSize,
          topKPassages: c.topKPassages,
          maxPromptTokens: c.maxPromptTokens,
          split: manifest.split.heldOutSha256,
        },
        metrics: {
          loss: manifest.finalLoss,
          firstLoss: manifest.firstLoss,
          steps: manifest.steps,
          params: manifest.params,
          tokensPerSecond: manifest.tokensPerSecond,
          seconds: manifest.seconds,
        },
      })
      .returning();
    log(`installed the shipped base model ${manifest.name} (${manifest.sha256.slice(0, 12)}…) as shared policy ${version!.id}`);
    return { version: version!, installed: true };
  });
}
