import { desc, eq } from 'drizzle-orm';
import type { TrainingRunList, TrainingRunListQuery } from '../../../protocol/training.js';
import type { Db } from '../../db/client.js';
import { modelVersions, trainingRuns } from '../../db/schema.js';
import { runSummary } from './views.js';

/** A site's training runs, newest first, each with the model version it produced (if any). */
export async function listTrainingRuns({ db, siteId, query }: { db: Db; siteId: string; query: TrainingRunListQuery }): Promise<TrainingRunList> {
  const rows = await db
    .select({ run: trainingRuns, modelVersionId: modelVersions.id })
    .from(trainingRuns)
    .leftJoin(modelVersions, eq(modelVersions.trainingRunId, trainingRuns.id))
    .where(eq(trainingRuns.siteId, siteId))
    .orderBy(desc(trainingRuns.createdAt), desc(trainingRuns.id))
    .limit(query.limit);
  return { runs: rows.map((r) => runSummary(r.run, r.modelVersionId)) };
}
