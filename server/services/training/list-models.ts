import { and, desc, eq, isNull, or } from 'drizzle-orm';
import type { ModelList, ModelListQuery } from '../../../protocol/training.js';
import type { Db } from '../../db/client.js';
import { modelVersions } from '../../db/schema.js';
import { modelView } from './views.js';

/**
 * A site's model versions (policies and reward models, or one kind), newest first, together with the
 * shared base models (`shared: true`) every site can train from or activate.
 */
export async function listModels({ db, siteId, query }: { db: Db; siteId: string; query: ModelListQuery }): Promise<ModelList> {
  const rows = await db
    .select()
    .from(modelVersions)
    .where(and(or(eq(modelVersions.siteId, siteId), isNull(modelVersions.siteId)), query.kind ? eq(modelVersions.kind, query.kind) : undefined))
    .orderBy(desc(modelVersions.createdAt), desc(modelVersions.id))
    .limit(query.limit);
  return { models: rows.map(modelView) };
}
