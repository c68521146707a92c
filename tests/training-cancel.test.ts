import { UnrecoverableError } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingRunView } from '../protocol/training.js';
import { initTfjs } from '../assistant/tfjs/index.js';
import { auditLog, modelVersions, trainingRuns } from '../server/db/schema.js';
import { closeTrainingQueues, trainingProducers } from '../server/services/training/queue.js';
import { createSftProcessor, type SftJob } from '../trainer/processors/sft.js';
import { addMember, call, expectError, staffSession, type Session } from './admin-fixtures.js';
import { makeTestApp, type TestApp } from './support/app.js';
import { siteWithKnowledge, startRun, TINY_SFT } from './training-fixtures.js';

let t: TestApp;
let owner: Session;
let reviewer: Session;
let outsider: Session;

beforeAll(async () => {
  await initTfjs({ log: () => {} });
  t = await makeTestApp();
  owner = await staffSession(t, 'cancel-owner');
  reviewer = await staffSession(t, 'cancel-reviewer');
  outsider = await staffSession(t, 'cancel-outsider');
});
afterAll(async () => {
  await closeTrainingQueues(t.deps);
  await t.close();
});

const rowOf = async (runId: string) => (await t.db.select().from(trainingRuns).where(eq(trainingRuns.id, runId)))[0]!;
const cancel = (who: Session, runId: string) => call(t, who, 'POST', `/training-runs/${runId}/cancel`);

describe('POST /v1/admin/training-runs/:id/cancel', () => {
  it('cancels a queued run: row cancelled, job out of the queue, audited; the site can train again', async () => {
    const siteId = await siteWithKnowledge(t, owner, 'Queued Shop');
    await addMember(t.db, reviewer.userId, siteId, 'reviewer');
    const run = await startRun(t, owner, siteId);

    // Only owners and admins may cancel; other sites' staff do not see the run. Nothing changes.
    await expectError(await cancel(reviewer, run.id), 403, 'forbidden');
    await expectError(await cancel(outsider, run.id), 404, 'not_found');
    await expectError(await cancel(owner, crypto.randomUUID()), 404, 'not_found');
    expect((await rowOf(run.id)).status).toBe('queued');

    const res = await cancel(owner, run.id);
    expect(res.status).toBe(200);
    expect((await res.json()) as TrainingRunView).toMatchObject({ id: run.id, status: 'cancelled' });
    const row = await rowOf(run.id);
    expect(row.status).toBe('cancelled');
    expect(row.finishedAt).toBeInstanceOf(Date);
    expect(await trainingProducers(t.deps).sft.queue.getJob(run.id)).toBeUndefined();
    const audits = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'training.cancel'), eq(auditLog.target, run.id)));
    expect(audits).toHaveLength(1);

    // Cancelling again: 409, the outcome stays.
    await expectError(await cancel(owner, run.id), 409, 'training_run_finished');
    // The site is free for a new run.
    const next = await call(t, owner, 'POST', `/sites/${siteId}/training-runs`, { body: { kind: 'sft', config: TINY_SFT } });
    expect(next.status).toBe(202);
  });

  it('stops a running run at its next logged step, without saving a model or retrying', async () => {
    const siteId = await siteWithKnowledge(t, owner, 'Running Shop');
    // Long enough that the cancel lands mid-run: tiny steps, logged every step.
    const run = await startRun(t, owner, siteId, { ...TINY_SFT, steps: 100_000, logEvery: 1, warmupSteps: 0 });
    const job = (await trainingProducers(t.deps).sft.queue.getJob(run.id))!;
    let cancelled: Promise<Response> | undefined;
    const handle: SftJob = {
      id: job.id,
      data: job.data,
      attemptsMade: 0,
      opts: job.opts,
      updateData: async (d) => {
        // The first progress point: staff press cancel while the run trains.
        if (d.step !== undefined && d.step >= 2) cancelled ??= cancel(owner, run.id);
        await cancelled;
      },
      updateProgress: async () => {},
    };
    const processSft = createSftProcessor(async () => ({ db: t.db }), () => {});
    await expect(processSft(handle)).rejects.toBeInstanceOf(UnrecoverableError);
    expect((await cancelled!).status).toBe(200);

    const row = await rowOf(run.id);
    expect(row.status).toBe('cancelled');
    expect(row.step).toBeLessThan(10);
    expect(row.error).toBeNull();
    expect(await t.db.select().from(modelVersions).where(eq(modelVersions.trainingRunId, run.id))).toHaveLength(0);

    // A retry of the job (e.g. after a crash) does not start the run again.
    await expect(processSft({ ...handle, attemptsMade: 1 })).rejects.toBeInstanceOf(UnrecoverableError);
    expect((await rowOf(run.id)).status).toBe('cancelled');
  });

  it('answers 409 for a run that already finished', async () => {
    const siteId = await siteWithKnowledge(t, owner, 'Done Shop');
    const run = await startRun(t, owner, siteId);
    await t.db.update(trainingRuns).set({ status: 'succeeded' }).where(eq(trainingRuns.id, run.id));
    const err = await expectError(await cancel(owner, run.id), 409, 'training_run_finished');
    expect(err.message).toContain('succeeded');
    expect((await rowOf(run.id)).status).toBe('succeeded');
  });
});
