import { and, eq } from 'drizzle-orm';
import { TrainingErrorCode, type TrainingRunView } from '../../../protocol/training.js';
import type { Producers } from '../../../trainer/producers.js';
import type { Db } from '../../db/client.js';
import { memberships, trainingRuns } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { recordAudit } from '../audit/record.js';
import { assertAccess } from '../staff/site-role.js';
import { runView } from './views.js';

/**
 * Stops a queued or running run (owners and admins): the row becomes `cancelled` at once, a job still
 * waiting in the queue is removed, and a training process notices at its next logged step (its progress
 * write is refused) and exits without saving a model. A run that already ended is a 409; another site's
 * run a 404.
 */
export async function cancelTrainingRun({
  db,
  producers,
  userId,
  runId,
}: {
  db: Db;
  producers: Producers;
  userId: string;
  runId: string;
}): Promise<TrainingRunView> {
  const run = await db.transaction(async (tx) => {
    const [found] = await tx
      .select({ run: trainingRuns, role: memberships.role })
      .from(trainingRuns)
      .innerJoin(memberships, and(eq(memberships.siteId, trainingRuns.siteId), eq(memberships.userId, userId)))
      .where(eq(trainingRuns.id, runId))
      .for('update', { of: trainingRuns });
    if (!found) throw notFound('training run');
    assertAccess(found.role, 'manage', 'training run');
    const { status } = found.run;
    if (status !== 'queued' && status !== 'running') {
      throw new AppError(409, TrainingErrorCode.runFinished, `training run ${runId} is already ${status}: only queued or running runs can be cancelled`);
    }
    const [cancelled] = await tx
      .update(trainingRuns)
      .set({ status: 'cancelled', finishedAt: new Date() })
      .where(eq(trainingRuns.id, runId))
      .returning();
    await recordAudit(tx, { siteId: found.run.siteId, actorUserId: userId, action: 'training.cancel', target: runId, data: { from: status } });
    return cancelled!;
  });
  // A waiting (or delayed, between retries) job is removed; an active one is locked by its worker and
  // stops by itself. Redis trouble here is harmless: a job that starts later finds the run cancelled.
  const queue = run.kind === 'sft' ? producers.sft.queue : undefined; // the only queued kind so far
  const job = await queue?.getJob(run.jobId ?? run.id).catch(() => undefined);
  if (job && ((await job.isWaiting()) || (await job.isDelayed()))) await job.remove().catch(() => {});
  return runView(run, null);
}
