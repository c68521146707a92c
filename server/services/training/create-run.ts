import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { ErrorCode } from '../../../protocol/errors.js';
import { type CreateTrainingRunRequest, TrainingErrorCode, type TrainingRunView } from '../../../protocol/training.js';
import type { Db } from '../../db/client.js';
import { trainingRuns } from '../../db/schema.js';
import { AppError, badRequest } from '../../errors.js';
import type { Producers } from '../../../trainer/producers.js';
import { recordAudit } from '../audit/record.js';
import { findBaseModel } from './base-model.js';
import { runView } from './views.js';

/**
 * Creates a site's training run and queues its job (job id = run id). One run of a kind per site at a
 * time: a second request while one is queued or running is a 409 naming it (a double click trains
 * once). The row is committed before the job is added, so the worker always finds it; when Redis does
 * not take the job the run is marked failed and the caller gets a 503.
 */
export async function createTrainingRun({
  db,
  producers,
  siteId,
  actorUserId,
  input,
}: {
  db: Db;
  producers: Producers;
  siteId: string;
  actorUserId: string;
  input: CreateTrainingRunRequest;
}): Promise<TrainingRunView> {
  const { config } = input;
  if (config.base !== 'auto' && config.base !== 'none' && !(await findBaseModel({ db, siteId, base: config.base }))) {
    throw badRequest(`config.base: ${config.base} is not a policy of this site or a shared base model that can be trained from`, ErrorCode.validation);
  }
  const id = randomUUID();
  const run = await db.transaction(async (tx) => {
    // Serialises run creation per site and kind, so two concurrent requests cannot both pass the check.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`training-run:${siteId}:${input.kind}`}))`);
    const [busy] = await tx
      .select({ id: trainingRuns.id, status: trainingRuns.status })
      .from(trainingRuns)
      .where(and(eq(trainingRuns.siteId, siteId), eq(trainingRuns.kind, input.kind), inArray(trainingRuns.status, ['queued', 'running'])))
      .limit(1);
    if (busy) {
      throw new AppError(409, TrainingErrorCode.runInProgress, `${input.kind} run ${busy.id} of this site is ${busy.status}: wait for it to finish (GET /v1/admin/training-runs/${busy.id})`);
    }
    const [row] = await tx
      .insert(trainingRuns)
      .values({ id, siteId, kind: input.kind, status: 'queued', config, totalSteps: config.steps, jobId: id, createdById: actorUserId })
      .returning();
    await recordAudit(tx, { siteId, actorUserId, action: 'training.create', target: id, data: { kind: input.kind } });
    return row!;
  });

  try {
    await producers[input.kind].enqueue({ runId: run.id, siteId });
  } catch (err) {
    const message = `could not queue the job: Redis did not take it (${(err as Error).message}); check REDIS_URL and start a new run`;
    const [failed] = await db
      .update(trainingRuns)
      .set({ status: 'failed', error: message, finishedAt: new Date() })
      .where(eq(trainingRuns.id, run.id))
      .returning();
    throw new AppError(503, TrainingErrorCode.queueUnavailable, `training run ${failed!.id} ${message}`);
  }
  return runView(run, null);
}
