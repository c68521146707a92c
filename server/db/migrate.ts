import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { projectPath } from '../runtime/paths.js';

export const migrationsFolder = projectPath('migrations');

/** Arbitrary constant shared by every Rapport process: the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 727_274_001;

/**
 * Applies pending migrations. drizzle's `migrate()` takes no lock, so two processes starting together
 * (server + trainer) could both apply the same file; a session-level advisory lock on one dedicated
 * connection makes the second wait and then find nothing to do.
 */
export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migrate(drizzle(sql), { migrationsFolder });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
