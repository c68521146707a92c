/**
 * The production server: `tsx server/main.ts` (or `node dist/server/main.js` after `npm run build`).
 * Postgres from DATABASE_URL (else embedded, see runtime/database.ts), Redis from REDIS_URL (a local
 * redis-server is started when none answers), migrations under an advisory lock, then the Hono app.
 * `server/start.ts` (`npm start`) is the same plus the demo site and its host page.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp } from './app.js';
import { buildDeps } from './build-deps.js';
import { loadConfig, type Config } from './config.js';
import type { Db } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import type { AppDeps } from './deps.js';
import { resolveDatabaseUrl } from './runtime/database.js';
import { installBaseModel } from './services/models/install-base.js';
import { listen } from './runtime/listen.js';
import { projectPath } from './runtime/paths.js';
import { ensureRedis } from './runtime/redis.js';
import { resolveSecret } from './runtime/secret.js';
import { closeOnSignals } from './runtime/shutdown.js';

export type RuntimeConfig = Config & { secret: string };

export interface StartServerOptions {
  /** Environment to read the configuration from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Runs after migrations, before the API listens: `npm start` seeds the demo site here. */
  prepare?: (ctx: { db: Db; config: RuntimeConfig }) => Promise<void>;
  /** Close everything on SIGINT/SIGTERM and exit (default true; tests pass false). */
  handleSignals?: boolean;
}

export interface RunningServer {
  config: RuntimeConfig;
  deps: AppDeps;
  /** The bound API port (differs from config.port when that was 0). */
  port: number;
  /** Where browsers reach the API and /widget.js: PUBLIC_URL, else http://localhost:PORT. */
  publicUrl: string;
  /** True when Postgres is the embedded one (started here or attached to). */
  embeddedDatabase: boolean;
  /** Adds a step to `close()`; steps run newest first, before the API's own resources close. */
  onClose(step: () => Promise<void>): void;
  /** Stops listening, then closes Redis, Postgres connections, and whatever servers were started here. */
  close(): Promise<void>;
}

export async function startServer(opts: StartServerOptions = {}): Promise<RunningServer> {
  const t0 = performance.now();
  const log = opts.log ?? ((line: string) => console.log(`rapport: ${line}`));
  const base = loadConfig(opts.env);
  const cleanups: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const step of cleanups.splice(0).reverse()) {
      await step().catch((err: unknown) => log(`while closing: ${err instanceof Error ? err.message : String(err)}`));
    }
  };

  try {
    // Redis and Postgres come up in parallel: the embedded Postgres start is the slow part. Settled,
    // not all(): when one fails, whatever the other started must still be stopped.
    const [secretR, redisR, databaseR] = await Promise.allSettled([
      resolveSecret(base),
      ensureRedis(base.redisUrl, { log }),
      resolveDatabaseUrl(base, { log }),
    ]);
    if (redisR.status === 'fulfilled') cleanups.push(redisR.value.stop);
    if (databaseR.status === 'fulfilled') cleanups.push(databaseR.value.stop);
    for (const r of [secretR, redisR, databaseR]) if (r.status === 'rejected') throw r.reason;
    const secret = (secretR as PromiseFulfilledResult<string>).value;
    const database = (databaseR as PromiseFulfilledResult<Awaited<ReturnType<typeof resolveDatabaseUrl>>>).value;
    const config: RuntimeConfig = { ...base, secret };

    await runMigrations(database.url);
    const built = buildDeps({ config, databaseUrl: database.url });
    cleanups.push(built.close);
    const deps: AppDeps = built.deps;
    await deps.redis.ping();
    // The shipped base policy (models/), once per checkpoint: new sites' SFT starts from it.
    await installBaseModel({ db: deps.db, log });

    if (opts.prepare) await opts.prepare({ db: deps.db, config });

    const app = createApp(deps);
    const http = await listen(app.fetch, { host: config.host, port: config.port, what: 'API server', portVariable: 'PORT' });
    cleanups.push(() => http.close());

    const publicUrl = config.publicUrl?.replace(/\/+$/, '') ?? `http://${browserHost(config.host)}:${http.port}`;
    log(`API listening on ${config.host}:${http.port} (${publicUrl}) — ready in ${Math.round(performance.now() - t0)} ms`);

    const running: RunningServer = {
      config,
      deps,
      port: http.port,
      publicUrl,
      embeddedDatabase: database.embedded,
      onClose: (step) => cleanups.push(step),
      close: closeAll,
    };
    if (opts.handleSignals ?? true) closeOnSignals(closeAll, log);
    return running;
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** A host name a browser on this machine can use for a listen address (wildcards and loopback → localhost). */
export function browserHost(host: string): string {
  if (['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost', ''].includes(host)) return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  startServer().catch((err: unknown) => {
    console.error(`rapport: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
