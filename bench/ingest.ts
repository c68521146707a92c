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

/** CPU (ms) of a process from /proc/<pid>/stat (Linux): utime + stime, in clock ticks of 10 ms. */
async function procCpuMs(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  try {
    const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return ((Number(stat[11]) + Number(stat[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU of the Postgres backends serving the bench database (the server's pool) and of redis-server, which
 * share the machine's cores with the server: read before and after the measured run.
 */
async function backendCpuMs(sql: postgres.Sql, database: string): Promise<{ pg: number; redis: number }> {
  const pids = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;
  let pg = 0;
  for (const { pid } of pids) pg += await procCpuMs(pid);
  const { execFileSync } = await import('node:child_process');
  let redis = 0;
  try {
    const pid = Number(/process_id:(\d+)/.exec(execFileSync('redis-cli', ['info', 'server'], { encoding: 'utf8' }))?.[1]);
    if (pid) redis = await procCpuMs(pid);
  } catch {
    // No redis-cli: the Redis figure is left out (0).
  }
  return { pg, redis };
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));
}

const db = await createBenchDatabase();
const dbName = new URL(db.url).pathname.slice(1);
const probe = postgres(db.url, { max: 1, onnotice: () => {} });
const countEvents = async () => (await probe<{ n: number }[]>`select count(*)::int as n from feedback_events`)[0]!.n;
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
  const amount = Math.max(1000, Math.round(warmup.requests.average * SECONDS));
  const before = await countEvents();
  const [{ since }] = await probe<{ since: Date }[]>`select now() as since`;
  const backendsBefore = await backendCpuMs(probe, dbName);
  const loadCpuBefore = process.cpuUsage();
  const cpuBefore = await cpuNow(real.child, real.info.cpuMsAtReady);
  const result = await load({ amount });
  const loadCpu = process.cpuUsage(loadCpuBefore);
  const backendsAfter = await backendCpuMs(probe, dbName);
  await stop(real.child);
  const serverCpuMs = cpuMsAtExit.get(real.child)! - cpuBefore;
  const rows = (await countEvents()) - before;
  // Events of one commit share their transaction's created_at: distinct values = commits.
  const [{ commits }] = await probe<{ commits: number }[]>`
    select count(distinct created_at)::int as commits from feedback_events where created_at >= ${since}`;

  const perReq = (ms: number) => +(ms / result.requests.total).toFixed(3);
  const real_ = {
    rps: Math.round(result.requests.average),
    p99ms: result.latency.p99,
    acked: result['2xx'],
    rows,
    non2xx: result.non2xx,
    errors: result.errors,
    serverCpuMsPerReq: perReq(serverCpuMs),
    pgCpuMsPerReq: perReq(backendsAfter.pg - backendsBefore.pg),
    redisCpuMsPerReq: perReq(backendsAfter.redis - backendsBefore.redis),
    loadCpuMsPerReq: perReq((loadCpu.user + loadCpu.system) / 1000),
    eventsPerCommit: +(rows / Math.max(1, commits)).toFixed(1),
  };
  if (process.env.BENCH_ONLY === 'real') {
    console.log(`BENCH ingest ${JSON.stringify({ ...real_, seconds: +result.duration.toFixed(1), connections: CONNECTIONS })}`);
    process.exit(0);
  }

  // 2. The bare echo route, same layout.
  const bareLoadBefore = process.cpuUsage();
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
  const bareLoadCpu = process.cpuUsage(bareLoadBefore);
  await stop(bare.child);
  const bareCpuMs = cpuMsAtExit.get(bare.child)! - bareCpuBefore;

  const figures = {
    ...real_,
    bareRps: Math.round(bareResult.requests.average),
    bareP99ms: bareResult.latency.p99,
    bareCpuMsPerReq: +(bareCpuMs / bareResult.requests.total).toFixed(3),
    bareLoadCpuMsPerReq: +((bareLoadCpu.user + bareLoadCpu.system) / 1000 / bareResult.requests.total).toFixed(3),
    seconds: +result.duration.toFixed(1),
    connections: CONNECTIONS,
  };
  console.log(`BENCH ingest ${JSON.stringify(figures)}`);
} finally {
  await probe.end();
  await db.drop();
}
