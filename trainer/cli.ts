/**
 * Runs one SFT run in this process, without Redis or a worker: for operators (train now, watch the
 * loss) and for measuring training speed on real data.
 *
 *   tsx trainer/cli.ts sft --site pk_demo [--config '{"steps":50,"blockSize":256}']
 *
 * Uses the server's database (DATABASE_URL, else the embedded Postgres of DATA_DIR). The run is a
 * normal `training_runs` row and its model a normal `ready` version, listed by the admin API.
 * Prints progress lines, then `SFT {json}` with the outcome and wall-clock seconds.
 */
import { parseArgs } from 'node:util';
import { SftConfig } from '../protocol/training.js';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/client.js';
import { runMigrations } from '../server/db/migrate.js';
import { trainingRuns } from '../server/db/schema.js';
import { resolveDatabaseUrl } from '../server/runtime/database.js';
import { findSiteByRef } from '../server/services/sites/find-by-ref.js';
import { runSft } from './sft/run-sft.js';

const USAGE = `usage: tsx trainer/cli.ts sft --site ID|KEY [--config JSON]`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { site: { type: 'string' }, config: { type: 'string', default: '{}' } } });
  if (positionals[0] !== 'sft' || !values.site) throw new Error(USAGE);
  let raw: unknown;
  try {
    raw = JSON.parse(values.config!);
  } catch {
    throw new Error(`--config is not JSON: pass an object such as '{"steps":50}'\n${USAGE}`);
  }
  const parsed = SftConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`--config: ${issue.path.join('.') || '(config)'}: ${issue.message}`);
  }

  const log = (line: string) => console.log(`rapport trainer: ${line}`);
  const resolved = await resolveDatabaseUrl(loadConfig(), { log });
  const database = openDatabase(resolved.url, { max: 2 });
  try {
    await runMigrations(resolved.url);
    const site = await findSiteByRef({ db: database.db, ref: values.site });
    const [run] = await database.db
      .insert(trainingRuns)
      .values({ siteId: site.id, kind: 'sft', status: 'queued', config: parsed.data, totalSteps: parsed.data.steps })
      .returning();
    const t0 = performance.now();
    const outcome = await runSft({
      db: database.db,
      runId: run!.id,
      log,
      onProgress: async ({ step, totalSteps, loss }) => log(`step ${step}/${totalSteps} loss ${loss.toFixed(3)}`),
    });
    const seconds = Math.round((performance.now() - t0) / 100) / 10;
    console.log(`SFT ${JSON.stringify({ runId: run!.id, ...outcome, seconds })}`);
  } finally {
    await database.close();
    await resolved.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`rapport trainer: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
