import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelArtifacts, modelVersions } from '../server/db/schema.js';
import { loadModelArtifact } from '../server/services/models/load-artifact.js';
import { saveModelVersion } from '../server/services/models/save-version.js';
import { makeTestApp, type TestApp } from './support/app.js';
import { seedSite } from './support/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

describe('model checkpoint store', () => {
  it('round-trips checkpoint bytes and stores identical weights once', async () => {
    const site = await seedSite(t.db);
    const bytes = new Uint8Array(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
    const a = await saveModelVersion({ db: t.db, input: { siteId: site.id, kind: 'policy', name: 'sft-1', bytes, config: { nLayer: 2 } } });
    const b = await saveModelVersion({ db: t.db, input: { siteId: site.id, kind: 'policy', name: 'sft-1-copy', bytes } });
    expect(a.artifactSha256).toBe(b.artifactSha256);
    expect((await t.db.select({ n: count() }).from(modelArtifacts))[0]!.n).toBe(1);
    expect(Array.from(await loadModelArtifact({ db: t.db, versionId: b.id }))).toEqual(Array.from(bytes));
  });

  it('refuses a corrupt artifact and an unknown version', async () => {
    const v = await saveModelVersion({ db: t.db, input: { siteId: null, kind: 'reward', name: 'rm', bytes: new Uint8Array([1, 2, 3]) } });
    await t.db.update(modelArtifacts).set({ bytes: Buffer.from([9, 9, 9]) }).where(eq(modelArtifacts.sha256, v.artifactSha256));
    await expect(loadModelArtifact({ db: t.db, versionId: v.id })).rejects.toThrow(/corrupt/);
    await expect(loadModelArtifact({ db: t.db, versionId: crypto.randomUUID() })).rejects.toThrow(/not found/);
  });

  it('allows one active policy per site', async () => {
    const site = await seedSite(t.db);
    const bytes = new Uint8Array([4, 5, 6]);
    const a = await saveModelVersion({ db: t.db, input: { siteId: site.id, kind: 'policy', name: 'p1', bytes } });
    const b = await saveModelVersion({ db: t.db, input: { siteId: site.id, kind: 'policy', name: 'p2', bytes } });
    await t.db.update(modelVersions).set({ status: 'active' }).where(eq(modelVersions.id, a.id));
    await expect(t.db.update(modelVersions).set({ status: 'active' }).where(eq(modelVersions.id, b.id))).rejects.toThrow();
  });
});
