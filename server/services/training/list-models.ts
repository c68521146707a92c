import { and, desc, eq } from 'drizzle-orm';
import type { ModelList, ModelListQuery } from '../../../protocol/training.js';
import type { Db } from '../../db/client.js';
import { modelVersions } from '../../db/schema.js';
import { modelView } from './views.js';

/** A site's model versions (policies and reward models, or one kind), newest first. */
export async function listModels({ db, siteId, query }: { db: Db; siteId: string; query: ModelListQuery }): Promise<ModelList> {
  const rows = await db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.siteId, siteId), query.kind ? eq(modelVersions.kind, query.kind) : undefined))
    .orderBy(desc(modelVersions.createdAt), desc(modelVersions.id))
    .limit(query.limit);
  return { models: rows.map(modelView) };
}
