import { and, eq, ne, sql } from 'drizzle-orm';
import { type ActivateModelResponse, TrainingErrorCode } from '../../../protocol/training.js';
import type { Db, Tx } from '../../db/client.js';
import { memberships, modelVersions, type ModelVersion } from '../../db/schema.js';
import { AppError, badRequest, notFound } from '../../errors.js';
import { recordAudit } from '../audit/record.js';
import { assertAccess } from '../staff/site-role.js';
import { modelView } from './views.js';

/**
 * Makes a version its site's active model of its kind, in one transaction: the active one (if another)
 * becomes retired, this one active with `activatedAt`, plus an audit row. Owners and admins only.
 * Rolling back is activating a retired version. A version of a site the caller is not a member of is a
 * 404; a failed version is a 409; activating the active version changes nothing.
 *
 * A shared base model (site null) is activated for the site named by `siteId`: the site gets its own
 * version row pointing at the same checkpoint (parentId = the base), created once and reused, so
 * activating the base again for that site changes nothing.
 */
export async function activateModel({
  db,
  userId,
  versionId,
  siteId: requestedSiteId,
}: {
  db: Db;
  userId: string;
  versionId: string;
  /** Required for a shared base model; for a site's version it must be that site when given. */
  siteId?: string;
}): Promise<ActivateModelResponse> {
  return db.transaction(async (tx) => {
    // 1. the version and the site it is activated for; the caller must manage that site
    const [version] = await tx.select().from(modelVersions).where(eq(modelVersions.id, versionId));
    if (!version) throw notFound('model version');
    const shared = version.siteId === null;
    if (shared && requestedSiteId === undefined) {
      throw badRequest(`model version ${version.name} is a shared base model: send {"siteId": "…"} with the site to activate it for`, TrainingErrorCode.siteRequired);
    }
    const siteId = version.siteId ?? requestedSiteId!;
    const [member] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.siteId, siteId), eq(memberships.userId, userId)));
    // Not a member, or a siteId that is not the version's own site: both look like a missing version.
    if (!member || (!shared && requestedSiteId !== undefined && requestedSiteId !== siteId)) throw notFound(shared ? 'site' : 'model version');
    assertAccess(member.role, 'manage', 'model version');
    if (version.status === 'failed') {
      throw new AppError(409, TrainingErrorCode.modelNotActivatable, `model version ${version.name} failed evaluation and cannot be activated: train a new one`);
    }

    // One activation per site and kind at a time: without it two concurrent swaps could each retire
    // the old version and then collide on the one-active-per-site index (and two activations of a
    // shared base could each create the site's version of it).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`model-activate:${siteId}:${version.kind}`}))`);
    const targetId = shared ? (await siteVersionOf(tx, version, siteId)).id : versionId;
    const [current] = await tx.select().from(modelVersions).where(eq(modelVersions.id, targetId)).for('update');
    if (current!.status === 'active') return { model: modelView(current!), retiredId: null };

    // 2. retire first: the partial unique index allows one active row per (site, kind) at every statement
    const retired = await tx
      .update(modelVersions)
      .set({ status: 'retired' })
      .where(and(eq(modelVersions.siteId, siteId), eq(modelVersions.kind, version.kind), eq(modelVersions.status, 'active'), ne(modelVersions.id, targetId)))
      .returning({ id: modelVersions.id });
    const [activated] = await tx
      .update(modelVersions)
      .set({ status: 'active', activatedAt: new Date() })
      .where(eq(modelVersions.id, targetId))
      .returning();
    const retiredId = retired[0]?.id ?? null;
    await recordAudit(tx, {
      siteId,
      actorUserId: userId,
      action: 'model.activate',
      target: targetId,
      data: { kind: version.kind, from: current!.status, retiredId, ...(shared ? { sharedBaseId: versionId } : {}) },
    });
    return { model: modelView(activated!), retiredId };
  });
}

/** The site's own version of a shared base (same artifact, parentId = base), created on first use. */
async function siteVersionOf(tx: Tx, base: ModelVersion, siteId: string): Promise<ModelVersion> {
  const [existing] = await tx
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.siteId, siteId), eq(modelVersions.parentId, base.id), eq(modelVersions.artifactSha256, base.artifactSha256), eq(modelVersions.kind, base.kind)))
    .limit(1);
  if (existing) return existing;
  const [created] = await tx
    .insert(modelVersions)
    .values({
      siteId,
      kind: base.kind,
      status: 'ready',
      name: base.name,
      parentId: base.id,
      artifactSha256: base.artifactSha256,
      config: base.config,
      metrics: base.metrics,
    })
    .returning();
  return created!;
}
