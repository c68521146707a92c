/**
 * The shipped base policy in the server: installed once as a shared policy, picked by a site's SFT
 * with base "auto", listed to staff, and activated for a site as the site's own version of it.
 * Uses a tiny base trained in-process (trainer/base on a Bitext sample) in a temporary models folder.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, count, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivateModelResponse, ModelList } from '../protocol/training.js';
import { initTfjs } from '../assistant/tfjs/index.js';
import { modelArtifacts, modelVersions, trainingRuns } from '../server/db/schema.js';
import { BASE_CHECKPOINT_FILE, BASE_MANIFEST_FILE } from '../server/services/models/base-manifest.js';
import { installBaseModel } from '../server/services/models/install-base.js';
import { BaseConfig } from '../trainer/base/config.js';
import { loadBitext } from '../trainer/base/split.js';
import { trainBase } from '../trainer/base/train-base.js';
import { runSft } from '../trainer/sft/run-sft.js';
import { addMember, call, expectError, ownedSite, staffSession, type Session } from './admin-fixtures.js';
import { makeTestApp, type TestApp } from './support/app.js';
import { siteWithKnowledge } from './training-fixtures.js';

let t: TestApp;
let dir: string;
let sha: string;

beforeAll(async () => {
  await initTfjs({ log: () => {} });
  t = await makeTestApp();
  dir = mkdtempSync(path.join(tmpdir(), 'rapport-base-'));
  const config = BaseConfig.parse({ steps: 4, batchSize: 4, blockSize: 128, maxPromptTokens: 80, vocabSize: 300, nLayer: 1, nHead: 2, nEmbd: 16, logEvery: 4 });
  const { bytes, manifest } = await trainBase({ config, command: 'test', data: loadBitext().filter((_, i) => i % 12 === 0) });
  writeFileSync(path.join(dir, BASE_CHECKPOINT_FILE), bytes);
  writeFileSync(path.join(dir, BASE_MANIFEST_FILE), JSON.stringify(manifest));
  sha = manifest.sha256;
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const sharedPolicies = async () =>
  t.db.select().from(modelVersions).where(and(isNull(modelVersions.siteId), eq(modelVersions.kind, 'policy'), eq(modelVersions.artifactSha256, sha)));

describe('installBaseModel', () => {
  it('installs the shipped checkpoint once as a ready shared policy, even when servers start together', async () => {
    const [a, b] = await Promise.all([installBaseModel({ db: t.db, dir }), installBaseModel({ db: t.db, dir })]);
    const again = await installBaseModel({ db: t.db, dir });
    expect([a!.installed, b!.installed].sort()).toEqual([false, true]);
    expect(again!.installed).toBe(false);
    const rows = await sharedPolicies();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'base-bitext-v1', status: 'ready', siteId: null, kind: 'policy', parentId: null });
    expect(rows[0]!.metrics.steps).toBe(4);
    expect(rows[0]!.config).toMatchObject({ nLayer: 1, nEmbd: 16, topKPassages: 1 });
    expect((await t.db.select({ n: count() }).from(modelArtifacts).where(eq(modelArtifacts.sha256, sha)))[0]!.n).toBe(1);
  });

  it('does nothing without a manifest, and refuses a checkpoint that does not match it', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'rapport-nobase-'));
    const broken = mkdtempSync(path.join(tmpdir(), 'rapport-badbase-'));
    try {
      expect(await installBaseModel({ db: t.db, dir: empty })).toBeNull();
      copyFileSync(path.join(dir, BASE_MANIFEST_FILE), path.join(broken, BASE_MANIFEST_FILE));
      writeFileSync(path.join(broken, BASE_CHECKPOINT_FILE), 'version https://git-lfs.github.com/spec/v1\n');
      await expect(installBaseModel({ db: t.db, dir: broken })).rejects.toThrow(/not the manifest's .*restore models\//);
    } finally {
      rmSync(empty, { recursive: true, force: true });
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('is where a new site’s SFT with base "auto" starts', async () => {
    const owner = await staffSession(t, 'base-sft');
    const siteId = await siteWithKnowledge(t, owner, 'Fresh Shop');
    const [base] = await sharedPolicies();
    const config = { steps: 2, batchSize: 2, lr: 1e-3, warmupSteps: 0, minLrRatio: 0.1, weightDecay: 0, gradClip: 1, topKPassages: 1, includeFeedback: false, base: 'auto', model: { vocabSize: 2048, nLayer: 2, nHead: 4, nEmbd: 128, dropout: 0 }, seed: 1, logEvery: 1 };
    const [run] = await t.db.insert(trainingRuns).values({ siteId, kind: 'sft', status: 'queued', config, totalSteps: 2 }).returning();
    const outcome = await runSft({ db: t.db, runId: run!.id });
    const [version] = await t.db.select().from(modelVersions).where(eq(modelVersions.id, outcome.modelVersionId));
    expect(version).toMatchObject({ siteId, parentId: base!.id });
    // it kept the base's shape (a fresh model would be the config's 2×128)
    expect(version!.config).toMatchObject({ nLayer: 1, nEmbd: 16, blockSize: 128 });
  });
});

describe('shared base models in the staff API', () => {
  let owner: Session;
  let reviewer: Session;
  let siteId: string;
  let baseId: string;
  const activate = (who: Session, id: string, body?: unknown) => call(t, who, 'POST', `/models/${id}/activate`, body === undefined ? {} : { body });

  beforeAll(async () => {
    owner = await staffSession(t, 'base-owner');
    reviewer = await staffSession(t, 'base-reviewer');
    siteId = (await ownedSite(t, owner, 'Base Shop')).id;
    await addMember(t.db, reviewer.userId, siteId, 'reviewer');
    baseId = (await installBaseModel({ db: t.db, dir }))!.version.id;
  });

  it('lists the shared base next to the site’s own versions, marked shared', async () => {
    const res = await call(t, reviewer, 'GET', `/sites/${siteId}/models?kind=policy`);
    expect(res.status).toBe(200);
    const { models } = (await res.json()) as ModelList;
    expect(models.find((m) => m.id === baseId)).toMatchObject({ shared: true, siteId: null, name: 'base-bitext-v1', status: 'ready', artifactSha256: sha });
  });

  it('activating it for a site makes and activates the site’s own version of it, once', async () => {
    const res = await activate(owner, baseId, { siteId });
    expect(res.status).toBe(200);
    const first = (await res.json()) as ActivateModelResponse;
    expect(first.model).toMatchObject({ siteId, shared: false, status: 'active', parentId: baseId, artifactSha256: sha, name: 'base-bitext-v1' });
    expect(first.retiredId).toBeNull();

    // again: the same site version, nothing retired, no second copy; the base itself stays shared and ready
    const again = (await (await activate(owner, baseId, { siteId })).json()) as ActivateModelResponse;
    expect(again).toEqual({ model: first.model, retiredId: null });
    const copies = await t.db.select().from(modelVersions).where(and(eq(modelVersions.siteId, siteId), eq(modelVersions.parentId, baseId)));
    expect(copies).toHaveLength(1);
    const [base] = await t.db.select().from(modelVersions).where(eq(modelVersions.id, baseId));
    expect(base).toMatchObject({ siteId: null, status: 'ready' });

    // and the listing shows both
    const { models } = (await (await call(t, owner, 'GET', `/sites/${siteId}/models`)).json()) as ModelList;
    expect(models.filter((m) => m.artifactSha256 === sha).map((m) => [m.shared, m.status]).sort()).toEqual([
      [false, 'active'],
      [true, 'ready'],
    ]);
  });

  it('needs a site it may manage: none (400), a foreign one (404), a reviewer (403), a bad body (400)', async () => {
    const outsider = await staffSession(t, 'base-outsider');
    const foreignSite = (await ownedSite(t, outsider, 'Their Shop')).id;
    await expectError(await activate(owner, baseId), 400, 'site_required');
    await expectError(await activate(owner, baseId, { siteId: foreignSite }), 404, 'not_found');
    await expectError(await activate(reviewer, baseId, { siteId }), 403, 'forbidden');
    await expectError(await activate(owner, baseId, { siteId: 'nope' }), 400, 'validation_failed');
    await expectError(await activate(owner, baseId, { siteId, extra: 1 }), 400, 'validation_failed');
    expect(await t.db.select().from(modelVersions).where(and(eq(modelVersions.siteId, foreignSite), eq(modelVersions.parentId, baseId)))).toHaveLength(0);
  });
});
