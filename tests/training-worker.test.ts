import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingRunView } from '../protocol/training.js';
import { closeTrainingQueues, trainingProducers } from '../server/services/training/queue.js';
import { startWorkers, type RunningWorkers } from '../trainer/workers.js';
import { call, ownedSite, staffSession, type Session } from './admin-fixtures.js';
import { makeTestApp, type TestApp } from './support/app.js';
import { databaseUrlOf, siteWithKnowledge, startRun } from './training-fixtures.js';

let t: TestApp;
let owner: Session;
let workers: RunningWorkers | undefined;
const logs: string[] = [];

beforeAll(async () => {
  t = await makeTestApp();
  owner = await staffSession(t, 'worker-owner');
  // The trainer's workers, in this process; the SFT processor runs in a forked child (sandboxed).
  workers = startWorkers({
    redisUrl: t.deps.config.redisUrl,
    redisPrefix: t.deps.config.redisPrefix,
    databaseUrl: databaseUrlOf(t),
    log: (line) => logs.push(line),
  });
});
afterAll(async () => {
  await workers?.close();
  await closeTrainingQueues(t.deps);
  await t.close();
});

async function waitForRun(runId: string, done: (r: TrainingRunView) => boolean, timeoutMs = 90_000): Promise<TrainingRunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = (await (await call(t, owner, 'GET', `/training-runs/${runId}`)).json()) as TrainingRunView;
    if (done(run)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status} at step ${run.step}; worker log:\n${logs.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the trainer worker', () => {
  it('picks up a queued SFT run, trains it in the sandboxed processor and completes the job', async () => {
    const siteId = await siteWithKnowledge(t, owner, 'Worker Shop');
    const run = await startRun(t, owner, siteId);
    const finished = await waitForRun(run.id, (r) => r.status === 'succeeded' || r.status === 'failed');
    expect(finished).toMatchObject({ status: 'succeeded', step: 20, error: null });
    expect(finished.curve).toHaveLength(5);
    expect(finished.modelVersionId).not.toBeNull();

    const job = (await trainingProducers(t.deps).sft.queue.getJob(run.id))!;
    await expect.poll(() => job.getState()).toBe('completed');
    const completed = (await trainingProducers(t.deps).sft.queue.getJob(run.id))!;
    expect(completed.returnvalue).toMatchObject({ modelVersionId: finished.modelVersionId, steps: 20 });
    expect(completed.data).toEqual({ runId: run.id, siteId, step: 20 });
    expect(completed.progress).toBe(100);
    expect(completed.attemptsMade).toBe(1);
  }, 120_000);

  it('fails a run that cannot succeed once, without retrying, with the reason on the run', async () => {
    const site = await ownedSite(t, owner, 'No Knowledge Shop');
    const run = await startRun(t, owner, site.id);
    const failed = await waitForRun(run.id, (r) => r.status === 'failed' || r.status === 'succeeded');
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/no knowledge entries/);
    const queue = trainingProducers(t.deps).sft.queue;
    await expect.poll(async () => (await queue.getJob(run.id))?.getState()).toBe('failed');
    const job = (await queue.getJob(run.id))!;
    expect(job.attemptsMade).toBe(1); // UnrecoverableError: no second attempt despite attempts: 2
    expect(job.failedReason).toMatch(/no knowledge entries/);
  }, 120_000);
});
