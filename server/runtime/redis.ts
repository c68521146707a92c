import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';

export interface EnsuredRedis {
  /** True when this call started a redis-server (it is stopped by `stop()` or when this process exits). */
  started: boolean;
  stop(): Promise<void>;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '']);

/**
 * Makes sure something answers PING at `url`. When nothing does and the URL names this machine, starts
 * `redis-server` from PATH as a child process (no persistence: `--save "" --appendonly no`) on the
 * URL's port and waits until it answers. When redis-server is not installed, says what to do.
 */
export async function ensureRedis(url: string, opts: { log?: (line: string) => void; timeoutMs?: number } = {}): Promise<EnsuredRedis> {
  const target = new URL(url);
  const shown = redact(target);
  const first = await ping(url);
  if (first === 'pong') return { started: false, stop: async () => {} };
  if (first !== 'unreachable') {
    throw new Error(`REDIS_URL ${shown} answered with an error (${first.message}): fix the password or database in REDIS_URL`);
  }
  if (!LOCAL_HOSTS.has(target.hostname)) {
    throw new Error(`REDIS_URL ${shown} did not answer: start Redis there, or set REDIS_URL to a Redis that runs`);
  }
  const binary = findOnPath('redis-server');
  if (!binary) {
    throw new Error(
      `REDIS_URL ${shown} did not answer and redis-server is not installed: apt-get install redis-server, or set REDIS_URL`,
    );
  }

  const port = target.port || '6379';
  const bind = target.hostname === 'localhost' || target.hostname === '' ? '127.0.0.1' : target.hostname.replace(/^\[|\]$/g, '');
  const args = ['--port', port, '--bind', bind, '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
  if (target.password) args.push('--requirepass', decodeURIComponent(target.password));
  // Own process group: a Ctrl-C in the terminal reaches us, and we stop Redis after closing our
  // connections, instead of Redis dying first under live clients.
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killOnExit = () => child.kill('SIGTERM');
  process.on('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if ((await ping(url)) === 'pong') {
      opts.log?.(`started redis-server on ${bind}:${port} (pid ${child.pid}, nothing kept on disk)`);
      child.stdout!.removeListener('data', collect);
      child.stdout!.resume();
      return { started: true, stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  const last = output.trim().split('\n').slice(-5).join('\n');
  throw new Error(
    `REDIS_URL ${shown} did not answer, and the redis-server started for it did not come up: ` +
      `free port ${port} or set REDIS_URL to a Redis that runs${last ? `\n--- redis-server said ---\n${last}` : ''}`,
  );
}

/** One PING with no retries: 'pong', 'unreachable' (nothing listens), or the error a server answered. */
async function ping(url: string): Promise<'pong' | 'unreachable' | Error> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => {}); // the failed connect is the answer, not an unhandled event
  try {
    try {
      await client.connect();
    } catch (err) {
      // ioredis connects, then sends AUTH/SELECT: a server that refused those did answer.
      return /NOAUTH|WRONGPASS|invalid password|ERR/.test((err as Error).message) ? (err as Error) : 'unreachable';
    }
    await client.ping();
    return 'pong';
  } catch (err) {
    return err as Error;
  } finally {
    client.disconnect();
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function redact(u: URL): string {
  const copy = new URL(u.toString());
  if (copy.password) copy.password = '***';
  return copy.toString();
}
