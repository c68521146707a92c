/**
 * Feedback ingest: autocannon drives `POST /v1/widget/messages/:id/feedback` (unique client ids, 50
 * visitors × 20 messages) against the real server in a child process for BENCH_SECONDS (default 20),
 * then counts the stored events. Then the same load against a bare Hono JSON echo route in the same
 * process layout. Goal: rps ≥ 0.5 × bareRps, p99 ≤ 25 ms, rows = acked.
 *   npm run bench -- ingest
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { createBenchDatabase } from './support/bench-db.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const serverFile = fileURLToPath(new URL('./support/ingest-server.ts', import.meta.url));

type Info = { port: number; cpuMsAtReady: number; origin?: string; targets?: { token: string; messageIds: string[] }[] };

async function startChild(args: string[]): Promise<{ child: ChildProcess; info: Info }> {
  const child = spawn(process.execPath, ['--import', 'tsx', serverFile, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => {
    const m = /\{"cpuMs":([\d.]+)\}/.exec(d.toString());
    if (m) cpuMsAtExit.set(child, Number(m[1]));
    else process.stderr.write(d);
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { child, info: JSON.parse(line) };
}

/** CPU each server child reported when stopped (its own process.cpuUsage). */
const cpuMsAtExit = new WeakMap<ChildProcess, number>();

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The child's CPU so far, read from /proc (Linux); falls back to its CPU at start-up. */
async function cpuNow(child: ChildProcess, fallback: number): Promise<number> {
  try {
    const { readFile } = await import('node:fs/promises');
    const stat = (await readFile(`/proc/${child.pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return ((Number(stat[11]) + Number(stat[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return fallback;
  }
}

async function countEvents(url: string) {
  const sql = postgres(url, { max: 1 });
  const rows = await sql<{ before: number }[]>`select count(*)::int as before from feedback_events`;
  await sql.end();
  return rows as unknown as [{ before: number }];
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));
}

const db = await createBenchDatabase();
try {
  // 1. The real server.
  const real = await startChild(['real', db.url]);
  const targets = real.info.targets!;
  let n = 0;
  const load = (opts: { duration?: number; amount?: number }) => run({
    url: `http://127.0.0.1:${real.info.port}`,
    connections: CONNECTIONS,
    ...opts,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const i = n++;
          const t = targets[i % targets.length]!;
          const messageId = t.messageIds[Math.floor(i / targets.length) % t.messageIds.length]!;
          return {
            ...req,
            path: `/v1/widget/messages/${messageId}/feedback`,
            headers: { 'content-type': 'application/json', origin: real.info.origin!, authorization: `Bearer ${t.token}` },
            body: JSON.stringify({ clientEventId: `bench-${i}-${process.pid}`, rating: i % 3 === 0 ? 'down' : 'up', reasons: i % 3 === 0 ? ['wrong'] : [] }),
          };
        },
      },
    ],
  });
  // A timed run cuts off requests in flight (stored but never acknowledged), so the measured run sends a
  // fixed number of requests — sized from a 5 s warm-up to last about SECONDS — and waits for every answer.
  const warmup = await load({ duration: 5 });
  // Requests the timed warm-up cut off are still committing: let them land before counting.
  await new Promise((r) => setTimeout(r, 1000));
  const cpuBefore = await cpuNow(real.child, real.info.cpuMsAtReady);
  const amount = Math.max(1000, Math.round(warmup.requests.average * SECONDS));
  const [{ before }] = await countEvents(db.url);
  const result = await load({ amount });
  await stop(real.child);
  const serverCpuMs = cpuMsAtExit.get(real.child)! - cpuBefore;
  const rows = (await countEvents(db.url))[0].before - before;

  // 2. The bare echo route, same layout.
  const bare = await startChild(['bare']);
  const bareCpuBefore = await cpuNow(bare.child, bare.info.cpuMsAtReady);
  const bareResult = await run({
    url: `http://127.0.0.1:${bare.info.port}/echo`,
    connections: CONNECTIONS,
    duration: SECONDS,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientEventId: 'bench-0', rating: 'up', reasons: [] }),
  });
  await stop(bare.child);
  const bareCpuMs = cpuMsAtExit.get(bare.child)! - bareCpuBefore;

  const figures = {
    rps: Math.round(result.requests.average),
    p99ms: result.latency.p99,
    acked: result['2xx'],
    rows,
    non2xx: result.non2xx,
    errors: result.errors,
    serverCpuMsPerReq: +(serverCpuMs / result.requests.total).toFixed(3),
    bareRps: Math.round(bareResult.requests.average),
    bareP99ms: bareResult.latency.p99,
    bareCpuMsPerReq: +(bareCpuMs / bareResult.requests.total).toFixed(3),
    seconds: +result.duration.toFixed(1),
    connections: CONNECTIONS,
  };
  console.log(`BENCH ingest ${JSON.stringify(figures)}`);
} finally {
  await db.drop();
}
