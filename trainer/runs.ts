/**
 * The `training_runs` row as a job moves through it: running → progress points → succeeded, or failed
 * (or back to queued while BullMQ retries). Every processor writes its run through these functions.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../server/db/client.js';
import { trainingRuns, type TrainingRun } from '../server/db/schema.js';
import { RunCancelledError } from './errors.js';

export async function findRun(db: Db, runId: string): Promise<TrainingRun | undefined> {
  const [run] = await db.select().from(trainingRuns).where(eq(trainingRuns.id, runId));
  return run;
}

/**
 * Starts (or restarts, on a retry) a run from step 0: the previous attempt's curve is discarded. A run
 * cancelled meanwhile is not restarted (RunCancelledError).
 */
export async function markRunning(db: Db, runId: string, totalSteps: number): Promise<void> {
  const updated = await db
    .update(trainingRuns)
    .set({ status: 'running', step: 0, totalSteps, metrics: {}, curve: [], error: null, startedAt: new Date(), finishedAt: null })
    .where(and(eq(trainingRuns.id, runId), inArray(trainingRuns.status, ['queued', 'running'])))
    .returning({ id: trainingRuns.id });
  if (updated.length === 0) await assertNotCancelled(db, runId);
}

/**
 * Records one logged point: the step, the latest metrics, and the point appended to the curve. Only a
 * running run takes it; when the run was cancelled meanwhile this throws RunCancelledError, which is how a
 * cancel reaches a training process (within `logEvery` steps).
 */
export async function recordProgress(db: Db, runId: string, point: Record<string, number> & { step: number }): Promise<void> {
  const updated = await db
    .update(trainingRuns)
    .set({
      step: point.step,
      metrics: point,
      curve: sql`${trainingRuns.curve} || ${JSON.stringify([point])}::jsonb`,
    })
    .where(and(eq(trainingRuns.id, runId), eq(trainingRuns.status, 'running')))
    .returning({ id: trainingRuns.id });
  if (updated.length === 0) await assertNotCancelled(db, runId);
}

/** Throws RunCancelledError when staff cancelled the run (checked before the model is saved, too). */
export async function assertNotCancelled(db: Db, runId: string): Promise<void> {
  const run = await findRun(db, runId);
  if (run?.status === 'cancelled') throw new RunCancelledError(runId);
}

/** Closes a queued or running run as succeeded (a cancelled run stays cancelled). */
export async function markSucceeded(db: Db, runId: string, metrics: Record<string, number>): Promise<void> {
  await db
    .update(trainingRuns)
    .set({ status: 'succeeded', metrics, error: null, finishedAt: new Date() })
    .where(and(eq(trainingRuns.id, runId), inArray(trainingRuns.status, ['queued', 'running'])));
}

/**
 * Records a failed attempt. `final`: the run is failed for good (bad input, or no attempt left);
 * otherwise it goes back to queued with the error, since BullMQ will retry it. A run that already
 * finished (succeeded, failed, cancelled) is left alone, so a late report never overwrites an outcome;
 * `onlyIfRunning` narrows that to running runs (the worker's backstop for processes that died).
 */
export async function markFailed(
  db: Db,
  runId: string,
  message: string,
  { final, attempt, onlyIfRunning = false }: { final: boolean; attempt: number; onlyIfRunning?: boolean },
): Promise<void> {
  const error = final ? message : `attempt ${attempt} failed, retrying from step 0: ${message}`;
  await db
    .update(trainingRuns)
    .set(final ? { status: 'failed', error, finishedAt: new Date() } : { status: 'queued', error })
    .where(and(eq(trainingRuns.id, runId), inArray(trainingRuns.status, onlyIfRunning ? ['running'] : ['queued', 'running'])));
}
