import { Hono } from 'hono';
import { ActivateModelRequest, CreateTrainingRunRequest, ModelListQuery, TrainingRunListQuery } from '../../../protocol/training.js';
import { parseJson, uuidParam, validate } from '../../http/parse.js';
import { siteAccess, type AdminEnv } from '../../middleware/staff-auth/index.js';
import { publishModelActivated } from '../../services/assistant/model-activated.js';
import { activateModel } from '../../services/training/activate-model.js';
import { cancelTrainingRun } from '../../services/training/cancel-run.js';
import { createTrainingRun } from '../../services/training/create-run.js';
import { getTrainingRun } from '../../services/training/get-run.js';
import { listModels } from '../../services/training/list-models.js';
import { listTrainingRuns } from '../../services/training/list-runs.js';
import { trainingProducers } from '../../services/training/queue.js';

/** Training runs (start one, follow its progress, cancel it) and model versions (list, activate). */
export function trainingRoutes(): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  r.post('/sites/:id/training-runs', siteAccess('manage'), async (c) => {
    const input = await parseJson(c, CreateTrainingRunRequest);
    const deps = c.get('deps');
    const run = await createTrainingRun({
      db: deps.db,
      producers: trainingProducers(deps),
      siteId: c.get('site').id,
      actorUserId: c.get('staff').userId,
      input,
    });
    return c.json(run, 202);
  });
  r.get('/sites/:id/training-runs', siteAccess('read'), async (c) => {
    const query = validate(TrainingRunListQuery, c.req.query());
    return c.json(await listTrainingRuns({ db: c.get('deps').db, siteId: c.get('site').id, query }));
  });
  r.get('/training-runs/:id', async (c) => {
    const runId = uuidParam(c, 'id', 'training run');
    return c.json(await getTrainingRun({ db: c.get('deps').db, userId: c.get('staff').userId, runId }));
  });
  r.post('/training-runs/:id/cancel', async (c) => {
    const runId = uuidParam(c, 'id', 'training run');
    const deps = c.get('deps');
    return c.json(await cancelTrainingRun({ db: deps.db, producers: trainingProducers(deps), userId: c.get('staff').userId, runId }));
  });
  r.get('/sites/:id/models', siteAccess('read'), async (c) => {
    const query = validate(ModelListQuery, c.req.query());
    return c.json(await listModels({ db: c.get('deps').db, siteId: c.get('site').id, query }));
  });
  r.post('/models/:id/activate', async (c) => {
    const versionId = uuidParam(c, 'id', 'model version');
    // The body ({siteId}) is needed only for a shared base model; a site's own version takes none.
    const hasBody = c.req.header('content-type') !== undefined || Number(c.req.header('content-length') ?? 0) > 0;
    const input = hasBody ? await parseJson(c, ActivateModelRequest) : {};
    const deps = c.get('deps');
    const result = await activateModel({ db: deps.db, userId: c.get('staff').userId, versionId, siteId: input.siteId });
    // Committed: this process and (over pub/sub) every other one serve the site's new model from its
    // next message. A failed publish does not undo the activation: the others re-check within a minute.
    const { model } = result;
    deps.assistant.invalidate(model.siteId);
    await publishModelActivated(deps.redis, deps.config.redisPrefix, { siteId: model.siteId, versionId: model.id, kind: model.kind }).catch((err: unknown) =>
      console.warn(`rapport: model ${model.id} is active but the "model activated" message was not published (${(err as Error).message}): other servers switch within a minute`),
    );
    return c.json(result);
  });
  return r;
}
