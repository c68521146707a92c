import { UnrecoverableError } from 'bullmq';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelVersionView, TrainingRunView } from '../protocol/training.js';
import { decodeCheckpoint, encodeCheckpoint, Gpt, loadGpt } from '../assistant/model/index.js';
import { PromptFormat } from '../assistant/prompt/format.js';
import { Tokenizer, train } from '../assistant/tokenizer/index.js';
import { initTfjs, tf } from '../assistant/tfjs/index.js';
import { corrections, trainingRuns } from '../server/db/schema.js';
import { loadModelArtifact } from '../server/services/models/load-artifact.js';
import { saveModelVersion } from '../server/services/models/save-version.js';
import { closeTrainingQueues, trainingProducers } from '../server/services/training/queue.js';
import { createSftProcessor, type SftJob } from '../trainer/processors/sft.js';
import type { SftJobData } from '../trainer/queues.js';
import { call, ownedSite, seedConversation, staffSession, type Session } from './admin-fixtures.js';
import { makeTestApp, type TestApp } from './support/app.js';
import { siteWithKnowledge, startRun } from './training-fixtures.js';

let t: TestApp;
let owner: Session;

beforeAll(async () => {
  await initTfjs({ log: () => {} });
  t = await makeTestApp();
  owner = await staffSession(t, 'sft-owner');
});
afterAll(async () => {
  await closeTrainingQueues(t.deps);
  await t.close();
});

/** The queued BullMQ job of a run, as the processor will see it, recording what it reports. */
async function jobOf(runId: string) {
  const job = await trainingProducers(t.deps).sft.queue.getJob(runId);
  expect(job).toBeDefined();
  const updates: SftJobData[] = [];
  const progress: number[] = [];
  const handle: SftJob = {
    id: job!.id,
    data: job!.data,
    attemptsMade: 0,
    opts: job!.opts,
    updateData: async (d) => void updates.push(d),
    updateProgress: async (p) => void progress.push(p),
  };
  return { handle, updates, progress };
}

const processSft = () => createSftProcessor(async () => ({ db: t.db }), () => {});

describe('the SFT processor', () => {
  it('trains on knowledge and feedback, reports progress, and saves a ready policy that loads', async () => {
    const siteId = await siteWithKnowledge(t, owner);
    // One staff correction: exportSft turns it into an SFT line, trained on next to the 5 entries.
    const conversation = await seedConversation(t.db, siteId);
    const turn = await conversation.turn('Do you ship to Canada?', 'I do not know.');
    await t.db.insert(corrections).values({ siteId, messageId: turn.assistant.id, authorId: owner.userId, text: 'Yes, we ship to Canada in 5 to 8 days.' });

    const run = await startRun(t, owner, siteId);
    const { handle, updates, progress } = await jobOf(run.id);
    const before = tf.memory().numTensors;
    const result = await processSft()(handle);

    // The run row: succeeded, every step done, a curve point after step 1 and every 5 steps.
    const res = await call(t, owner, 'GET', `/training-runs/${run.id}`);
    const done = (await res.json()) as TrainingRunView;
    expect(done).toMatchObject({ status: 'succeeded', step: 20, totalSteps: 20, error: null, modelVersionId: result.modelVersionId });
    expect(done.curve.map((p) => p.step)).toEqual([1, 5, 10, 15, 20]);
    expect(done.metrics.examples).toBe(6); // 5 knowledge entries + 1 correction
    expect(done.metrics.loss).toBeLessThan(done.metrics.firstLoss! * 0.75);
    expect(done.curve.at(-1)!.loss).toBeLessThan(done.curve[0]!.loss);
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();
    // The job: its data carries the step, its progress ends at 100 %.
    expect(updates.map((u) => u.step)).toEqual([1, 5, 10, 15, 20]);
    expect(updates.at(-1)).toMatchObject({ runId: run.id, siteId });
    expect(progress.at(-1)).toBe(100);
    // Nothing the run made is left in memory but the model code's own fixed per-trainer tensors
    // (see trainer/sft/train-loop.test.ts): 20 steps × 3 batch tensors would show.
    expect(tf.memory().numTensors - before).toBeLessThan(40);

    // The version: a ready policy of this site whose checkpoint loads with its tokenizer.
    const list = (await (await call(t, owner, 'GET', `/sites/${siteId}/models`)).json()) as { models: ModelVersionView[] };
    expect(list.models).toHaveLength(1);
    expect(list.models[0]).toMatchObject({ id: result.modelVersionId, kind: 'policy', status: 'ready', trainingRunId: run.id, siteId });
    const bytes = await loadModelArtifact({ db: t.db, versionId: result.modelVersionId });
    const { header } = decodeCheckpoint(bytes);
    const tokenizer = Tokenizer.fromJSON(header.meta.tokenizer);
    const model = loadGpt(bytes);
    expect(model.config).toMatchObject({ nLayer: 1, nEmbd: 16, blockSize: 96, vocabSize: tokenizer.vocabSize });
    const prompt = new PromptFormat(tokenizer).prompt({ persona: 'x', passages: [], history: [], question: 'How do I cancel?' }, 96);
    const { logits, hidden } = model.forward(tf.tensor2d([prompt], [1, prompt.length], 'int32'));
    expect(logits.shape).toEqual([1, prompt.length, tokenizer.vocabSize]);
    tf.dispose([logits, hidden]);
    model.dispose();
  });

  it('is idempotent: a job run again after its version was saved trains nothing and adds no version', async () => {
    const siteId = await siteWithKnowledge(t, owner, 'Again Shop');
    const run = await startRun(t, owner, siteId, { steps: 2, batchSize: 2, blockSize: 64, base: 'none', model: { vocabSize: 300, nLayer: 1, nHead: 2, nEmbd: 16 } });
    const first = await processSft()((await jobOf(run.id)).handle);
    const { handle, updates } = await jobOf(run.id);
    const second = await processSft()(handle);
    expect(second.modelVersionId).toBe(first.modelVersionId);
    expect(updates).toEqual([]);
    const list = (await (await call(t, owner, 'GET', `/sites/${siteId}/models`)).json()) as { models: unknown[] };
    expect(list.models).toHaveLength(1);
  });

  it('starts from the newest shared base model: its weights shape, its tokenizer, and it as parent', async () => {
    const baseTokenizer = train(['Orders ship in two days.', 'Refunds take five days.', 'Cancel from your account page.'], { vocabSize: 300 });
    const baseModel = new Gpt({ vocabSize: baseTokenizer.vocabSize, blockSize: 64, nLayer: 1, nHead: 2, nEmbd: 16 }, { seed: 5 });
    const bytes = encodeCheckpoint(baseModel, { tokenizer: baseTokenizer.toJSON() });
    baseModel.dispose();
    const base = await saveModelVersion({ db: t.db, input: { siteId: null, kind: 'policy', name: 'base-tiny', bytes } });

    const siteId = await siteWithKnowledge(t, owner, 'Base Shop');
    const run = await startRun(t, owner, siteId, { steps: 3, batchSize: 2, logEvery: 1, base: 'auto' });
    const result = await processSft()((await jobOf(run.id)).handle);
    const list = (await (await call(t, owner, 'GET', `/sites/${siteId}/models`)).json()) as { models: ModelVersionView[] };
    expect(list.models[0]).toMatchObject({ id: result.modelVersionId, parentId: base.id, config: { blockSize: 64, nEmbd: 16 } });
    const { header } = decodeCheckpoint(await loadModelArtifact({ db: t.db, versionId: result.modelVersionId }));
    expect(header.meta.tokenizer).toEqual(baseTokenizer.toJSON());
    expect(header.meta.baseModelId).toBe(base.id);

    // A context longer than the base model's cannot be trained from it: failed at once, saying why.
    const tooLong = await startRun(t, owner, siteId, { steps: 3, base: base.id, blockSize: 128 });
    const error = await processSft()((await jobOf(tooLong.id)).handle).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toMatch(/blockSize 128 exceeds the context of base model base-tiny \(64 tokens\)/);
  });

  it('fails a run with nothing to learn from at once (UnrecoverableError) and says what to do', async () => {
    const site = await ownedSite(t, owner, 'Empty Shop');
    const run = await startRun(t, owner, site.id);
    const { handle } = await jobOf(run.id);
    const error = await processSft()(handle).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecoverableError);
    const [row] = await t.db.select().from(trainingRuns).where(eq(trainingRuns.id, run.id));
    expect(row).toMatchObject({ status: 'failed' });
    expect(row!.error).toMatch(/no knowledge entries.*import knowledge/);
    expect(row!.finishedAt).not.toBeNull();
  });

  it('refuses a payload that does not name a run, without touching any row', async () => {
    const error = await processSft()({ id: 'x', data: { runId: 'nope' }, attemptsMade: 0, opts: {}, updateData: async () => {}, updateProgress: async () => {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toMatch(/runId/);
  });
});
