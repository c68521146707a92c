import { and, eq } from 'drizzle-orm';
import type { TrainingRunView } from '../../../protocol/training.js';
import type { Db } from '../../db/client.js';
import { memberships, modelVersions, trainingRuns } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import { runView } from './views.js';

/**
 * One training run with its curve, for a member of its site; any other run (another site's, or a
 * base-model run with no site) is a 404 like one that does not exist.
 */
export async function getTrainingRun({ db, userId, runId }: { db: Db; userId: string; runId: string }): Promise<TrainingRunView> {
  const [row] = await db
    .select({ run: trainingRuns, modelVersionId: modelVersions.id })
    .from(trainingRuns)
    .innerJoin(memberships, and(eq(memberships.siteId, trainingRuns.siteId), eq(memberships.userId, userId)))
    .leftJoin(modelVersions, eq(modelVersions.trainingRunId, trainingRuns.id))
    .where(eq(trainingRuns.id, runId))
    .limit(1);
  if (!row) throw notFound('training run');
  return runView(row.run, row.modelVersionId);
}
