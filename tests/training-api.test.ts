import { and, asc, count, eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActivateModelResponse, CreateTrainingRunRequest, type ModelVersionView, type TrainingRunList, type TrainingRunView } from '../protocol/training.js';
import { auditLog, modelVersions, trainingRuns } from '../server/db/schema.js';
import { saveModelVersion } from '../server/services/models/save-version.js';
import { createTrainingRun } from '../server/services/training/create-run.js';
import { closeTrainingQueues, trainingProducers } from '../server/services/training/queue.js';
import { createProducers } from '../trainer/producers.js';
import { addMember, call, expectError, ownedSite, staffSession, type Session } from './admin-fixtures.js';
import { makeTestApp, type TestApp } from './support/app.js';
import { siteWithKnowledge, TINY_SFT } from './training-fixtures.js';

let t: TestApp;
let owner: Session;
let reviewer: Session;
let outsider: Session;
let siteId: string;
let otherSiteId: string;

beforeAll(async () => {
  t = await makeTestApp();
  owner = await staffSession(t, 'train-owner');
  reviewer = await staffSession(t, 'train-reviewer');
  outsider = await staffSession(t, 'train-outsider');
  siteId = await siteWithKnowledge(t, owner);
  await addMember(t.db, reviewer.userId, siteId, 'reviewer');
  otherSiteId = (await ownedSite(t, outsider, 'Other Shop')).id;
});
afterAll(async () => {
  await closeTrainingQueues(t.deps);
  await t.close();
});

const runsOf = async (site: string) => t.db.select().from(trainingRuns).where(eq(trainingRuns.siteId, site));

describe('POST /v1/admin/sites/:id/training-runs', () => {
  it('creates a queued run with the validated config and queues its job under the run id', async () => {
    const res = await call(t, owner, 'POST', `/sites/${siteId}/training-runs`, { body: { kind: 'sft', config: { steps: 7 } } });
    expect(res.status).toBe(202);
    const run = (await res.json()) as TrainingRunView;
    expect(run).toMatchObject({ siteId, kind: 'sft', status: 'queued', step: 0, totalSteps: 7, jobId: run.id, createdById: owner.userId, curve: [], modelVersionId: null });
    // Defaults filled in, as the trainer will read them.
    expect(run.config).toMatchObject({ steps: 7, batchSize: 8, lr: 1e-3, topKPassages: 3, base: 'auto', model: { nLayer: 2, nEmbd: 128 } });

    const [row] = await runsOf(siteId);
    expect(row).toMatchObject({ id: run.id, status: 'queued', totalSteps: 7 });
    const job = await trainingProducers(t.deps).sft.queue.getJob(run.id);
    expect(job?.data).toEqual({ runId: run.id, siteId });
    expect(job?.opts.attempts).toBe(2);
    expect(await job?.getState()).toBe('waiting');

    // A second run while this one is queued: 409 naming it; nothing added.
    const again = await call(t, owner, 'POST', `/sites/${siteId}/training-runs`, { body: { kind: 'sft' } });
    const err = await expectError(again, 409, 'training_run_in_progress');
    expect(err.message).toContain(run.id);
    expect(await runsOf(siteId)).toHaveLength(1);
    expect(await trainingProducers(t.deps).sft.queue.getJobCounts('waiting')).toEqual({ waiting: 1 });

    // The run is listed and readable; once finished, a new run may start.
    const list = (await (await call(t, reviewer, 'GET', `/sites/${siteId}/training-runs`)).json()) as TrainingRunList;
    expect(list.runs.map((r) => r.id)).toEqual([run.id]);
    expect(list.runs[0]).not.toHaveProperty('curve');
    const one = (await (await call(t, reviewer, 'GET', `/training-runs/${run.id}`)).json()) as TrainingRunView;
    expect(one).toMatchObject({ id: run.id, status: 'queued', curve: [] });
    await t.db.update(trainingRuns).set({ status: 'failed' }).where(eq(trainingRuns.id, run.id));
    const next = await call(t, owner, 'POST', `/sites/${siteId}/training-runs`, { body: { kind: 'sft', config: TINY_SFT } });
    expect(next.status).toBe(202);
    await t.db.update(trainingRuns).set({ status: 'failed' }).where(eq(trainingRuns.siteId, siteId));
  });

  it('answers a bad config with 400 naming the field, and creates nothing', async () => {
    const site = await siteWithKnowledge(t, owner, 'Strict Shop');
    const cases: Array<[unknown, RegExp]> = [
      [{ kind: 'sft', config: { steps: 0 } }, /config\.steps/],
      [{ kind: 'sft', config: { model: { nEmbd: 30, nHead: 4 } } }, /config\.model\.nEmbd: nEmbd must be a multiple of nHead/],
      [{ kind: 'sft', config: { stepz: 10 } }, /stepz/],
      [{ kind: 'sft', config: { base: 'latest' } }, /config\.base/],
      [{ kind: 'sft', config: { base: crypto.randomUUID() } }, /config\.base: .* is not a policy of this site/],
      [{ kind: 'ppo' }, /kind/],
      [{}, /kind/],
    ];
    for (const [body, message] of cases) {
      const res = await call(t, owner, 'POST', `/sites/${site}/training-runs`, { body });
      const err = await expectError(res, 400, 'validation_failed');
      expect(err.message).toMatch(message);
    }
    expect(await runsOf(site)).toEqual([]);
    const [{ n }] = await t.db.select({ n: count() }).from(auditLog).where(and(eq(auditLog.siteId, site), eq(auditLog.action, 'training.create')));
    expect(n).toBe(0);
  });

  it('marks the run failed with the reason and answers 503 when Redis does not take the job', async () => {
    const site = await siteWithKnowledge(t, owner, 'Offline Shop');
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 1 });
    dead.on('error', () => {});
    const producers = createProducers({ connection: dead, prefix: 'unused', onError: () => {} });
    const input = CreateTrainingRunRequest.parse({ kind: 'sft' });
    const error = await createTrainingRun({ db: t.db, producers, siteId: site, actorUserId: owner.userId, input }).catch((e: unknown) => e);
    await producers.close();
    dead.disconnect();
    expect(error).toMatchObject({ status: 503, code: 'queue_unavailable' });
    const [row] = await runsOf(site);
    expect(row).toMatchObject({ status: 'failed' });
    expect(row!.error).toMatch(/could not queue the job: Redis did not take it/);
    // Not left "in progress": the next request may start a run.
    expect((await call(t, owner, 'POST', `/sites/${site}/training-runs`, { body: { kind: 'sft' } })).status).toBe(202);
  });

  it('lets only owners and admins start runs; other sites are 404', async () => {
    await expectError(await call(t, reviewer, 'POST', `/sites/${siteId}/training-runs`, { body: { kind: 'sft' } }), 403, 'forbidden');
    await expectError(await call(t, outsider, 'POST', `/sites/${siteId}/training-runs`, { body: { kind: 'sft' } }), 404, 'not_found');
    await expectError(await call(t, outsider, 'GET', `/sites/${siteId}/training-runs`), 404, 'not_found');
    await expectError(await call(t, owner, 'GET', `/sites/${otherSiteId}/models`), 404, 'not_found');
    await expectError(await call(t, null, 'POST', `/sites/${siteId}/training-runs`, { body: { kind: 'sft' } }), 401);
    const [mine] = await runsOf(siteId);
    await expectError(await call(t, outsider, 'GET', `/training-runs/${mine!.id}`), 404, 'not_found');
    await expectError(await call(t, owner, 'GET', `/training-runs/${crypto.randomUUID()}`), 404, 'not_found');
    await expectError(await call(t, owner, 'GET', '/training-runs/not-a-uuid'), 404, 'not_found');
  });
});

describe('model versions', () => {
  const save = (site: string | null, name: string, status?: 'failed') =>
    saveModelVersion({ db: t.db, input: { siteId: site, kind: 'policy', name, bytes: new TextEncoder().encode(name), metrics: { loss: 1.5 } } }).then(async (v) => {
      if (status) await t.db.update(modelVersions).set({ status }).where(eq(modelVersions.id, v.id));
      return v;
    });
  const statusOf = async (id: string) => (await t.db.select().from(modelVersions).where(eq(modelVersions.id, id)))[0]!.status;
  const activate = (who: Session, id: string) => call(t, who, 'POST', `/models/${id}/activate`);

  it('lists the site’s versions newest first, and activation swaps active and retired with an audit row', async () => {
    const site = (await ownedSite(t, owner, 'Model Shop')).id;
    await addMember(t.db, reviewer.userId, site, 'reviewer');
    const v1 = await save(site, 'v1');
    const v2 = await save(site, 'v2');
    await save(otherSiteId, 'foreign');
    await save(null, 'shared-base');

    const list = (await (await call(t, reviewer, 'GET', `/sites/${site}/models`)).json()) as { models: ModelVersionView[] };
    expect(list.models.filter((m) => !m.shared).map((m) => m.name)).toEqual(['v2', 'v1']);
    expect(list.models.find((m) => m.name === 'shared-base')).toMatchObject({ shared: true, siteId: null });
    expect(list.models[0]).toMatchObject({ kind: 'policy', status: 'ready', metrics: { loss: 1.5 }, activatedAt: null });

    const first = (await (await activate(owner, v1.id)).json()) as ActivateModelResponse;
    expect(first).toMatchObject({ model: { id: v1.id, status: 'active' }, retiredId: null });
    expect(first.model.activatedAt).not.toBeNull();

    const res = await activate(owner, v2.id);
    expect(res.status).toBe(200);
    expect(((await res.json()) as ActivateModelResponse).retiredId).toBe(v1.id);
    expect([await statusOf(v1.id), await statusOf(v2.id)]).toEqual(['retired', 'active']);

    // Rolling back is activating the retired one; activating the active one changes nothing.
    expect(((await (await activate(owner, v1.id)).json()) as ActivateModelResponse).retiredId).toBe(v2.id);
    expect(((await (await activate(owner, v1.id)).json()) as ActivateModelResponse).retiredId).toBeNull();
    expect([await statusOf(v1.id), await statusOf(v2.id)]).toEqual(['active', 'retired']);
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.siteId, site), eq(auditLog.action, 'model.activate'))).orderBy(asc(auditLog.id));
    expect(audit.map((a) => a.target)).toEqual([v1.id, v2.id, v1.id]);
    expect(audit[1]!.data).toEqual({ kind: 'policy', from: 'ready', retiredId: v1.id });
    expect(audit[1]!.actorUserId).toBe(owner.userId);
  });

  it('keeps exactly one active version when activations race', async () => {
    const site = (await ownedSite(t, owner, 'Race Shop')).id;
    const versions = await Promise.all(['a', 'b', 'c', 'd'].map((n) => save(site, n)));
    const responses = await Promise.all(versions.map((v) => activate(owner, v.id)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const statuses = await Promise.all(versions.map((v) => statusOf(v.id)));
    expect(statuses.filter((s) => s === 'active')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'retired')).toHaveLength(3);
  });

  it('refuses failed versions (409), reviewers (403), other sites’ versions (404), and a shared one without a site (400)', async () => {
    const site = (await ownedSite(t, owner, 'Guard Shop')).id;
    await addMember(t.db, reviewer.userId, site, 'reviewer');
    const bad = await save(site, 'bad', 'failed');
    const good = await save(site, 'good');
    const foreign = await save(otherSiteId, 'theirs');
    const shared = await save(null, 'base');
    await expectError(await activate(owner, bad.id), 409, 'model_not_activatable');
    await expectError(await activate(reviewer, good.id), 403, 'forbidden');
    await expectError(await activate(owner, foreign.id), 404, 'not_found');
    await expectError(await activate(owner, shared.id), 400, 'site_required');
    await expectError(await activate(owner, crypto.randomUUID()), 404, 'not_found');
    expect([await statusOf(bad.id), await statusOf(good.id), await statusOf(foreign.id)]).toEqual(['failed', 'ready', 'ready']);
  });
});
