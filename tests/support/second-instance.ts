import { createApp } from '../../server/app.js';
import { buildDeps } from '../../server/build-deps.js';
import { databaseUrlOf } from '../training-fixtures.js';
import type { TestApp } from './app.js';

/**
 * A second server process's worth of app on the same database and Redis prefix as `t` (its own
 * connections, assistant cache, generation workers and subscription), as when a deployment runs
 * several servers. Close it before `t`.
 */
export async function secondInstance(t: TestApp) {
  const { deps, close } = buildDeps({ config: t.deps.config, databaseUrl: databaseUrlOf(t), poolSize: 3 });
  await deps.modelActivations;
  return { app: createApp(deps), deps, close };
}
