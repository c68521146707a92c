import { and, eq, ne, sql } from 'drizzle-orm';
import { type ActivateModelResponse, TrainingErrorCode } from '../../../protocol/training.js';
import type { Db } from '../../db/client.js';
import { memberships, modelVersions } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { recordAudit } from '../audit/record.js';
import { assertAccess } from '../staff/site-role.js';
import { modelView } from './views.js';

/**
 * Makes a version its site's active model of its kind, in one transaction: the active one (if another)
 * becomes retired, this one active with `activatedAt`, plus an audit row. Owners and admins only.
 * Rolling back is activating a retired version. A version of a site the caller is not a member of (or a
 * shared base model) is a 404; a failed version is a 409; activating the active version changes nothing.
 */
export async function activateModel({ db, userId, versionId }: { db: Db; userId: string; versionId: string }): Promise<ActivateModelResponse> {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ version: modelVersions, role: memberships.role })
      .from(modelVersions)
      .innerJoin(memberships, and(eq(memberships.siteId, modelVersions.siteId), eq(memberships.userId, userId)))
      .where(eq(modelVersions.id, versionId));
    if (!found) throw notFound('model version');
    assertAccess(found.role, 'manage', 'model version');
    const { version } = found;
    const siteId = version.siteId!;
    // One activation per site and kind at a time: without it two concurrent swaps could each retire
    // the old version and then collide on the one-active-per-site index.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`model-activate:${siteId}:${version.kind}`}))`);
    const [current] = await tx.select().from(modelVersions).where(eq(modelVersions.id, versionId)).for('update');
    if (current!.status === 'failed') {
      throw new AppError(409, TrainingErrorCode.modelNotActivatable, `model version ${current!.name} failed evaluation and cannot be activated: train a new one`);
    }
    if (current!.status === 'active') return { model: modelView(current!), retiredId: null };

    // Retire first: the partial unique index allows one active row per (site, kind) at every statement.
    const retired = await tx
      .update(modelVersions)
      .set({ status: 'retired' })
      .where(and(eq(modelVersions.siteId, siteId), eq(modelVersions.kind, version.kind), eq(modelVersions.status, 'active'), ne(modelVersions.id, versionId)))
      .returning({ id: modelVersions.id });
    const [activated] = await tx
      .update(modelVersions)
      .set({ status: 'active', activatedAt: new Date() })
      .where(eq(modelVersions.id, versionId))
      .returning();
    const retiredId = retired[0]?.id ?? null;
    await recordAudit(tx, {
      siteId,
      actorUserId: userId,
      action: 'model.activate',
      target: versionId,
      data: { kind: version.kind, from: current!.status, retiredId },
    });
    return { model: modelView(activated!), retiredId };
  });
}
