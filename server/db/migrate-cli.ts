/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded Postgres in
 * DATA_DIR (attached to when `npm start` is running, started and stopped again otherwise). Servers
 * also migrate at start-up; this is for deploy pipelines that migrate before rolling servers.
 */
import { loadConfig } from '../config.js';
import { resolveDatabaseUrl } from '../runtime/database.js';
import { migrationsFolder, runMigrations } from './migrate.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await resolveDatabaseUrl(config, { log: (line) => console.log(`rapport: ${line}`) });
  try {
    const t0 = performance.now();
    await runMigrations(database.url);
    const where = database.embedded ? 'the embedded Postgres' : 'DATABASE_URL';
    console.log(`rapport: migrations from ${migrationsFolder} are applied on ${where} (${Math.round(performance.now() - t0)} ms)`);
  } finally {
    await database.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`rapport: migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
