/**
 * Feedback ingest: autocannon drives `POST /v1/widget/messages/:id/feedback` (unique client ids, 50
 * visitors × 20 messages) against the real server in a child process for BENCH_SECONDS (default 20),
 * then counts the stored events. Then the same load (same requests, same warm-up and sizing) against a bare
 * Hono JSON echo route on the same path in the same process layout. Also reports CPU per request of the
 * server, its Postgres backends, Redis and the load generator (all share the machine's cores), and events
 * per commit, and how busy the machine was (and how much the host stole) in each measured run. Last,
 * the bare echo answered only after a group commit of one row per batch (`commitRps`, `commitRatio`):
 * the ceiling of any server that acknowledges after commit here, whatever it does per event. Goal:
 * ratio (rps ÷ bareRps) ≥ 0.5, p99 ≤ 25 ms, rows = acked. BENCH_ONLY=real skips the bare and commit runs.
 *   npm run bench -- ingest
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { createBenchDatabase } from './support/bench-db.js';
import { procCpuMs } from './support/proc-cpu.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
/** Warm-up before the measured run (JIT-compiled steady state; also sizes the measured run). */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
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
  return (await procCpuMs(child.pid!)) ?? fallback;
}

/**
 * CPU of the Postgres backends serving the bench database (the server's pool) and of redis-server, which
 * share the machine's cores with the server: read before and after the measured run.
 */
async function backendCpuMs(sql: postgres.Sql, database: string): Promise<{ pg: number; redis: number }> {
  const pids = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;
  let pg = 0;
  for (const { pid } of pids) pg += (await procCpuMs(pid)) ?? 0;
  const { execFileSync } = await import('node:child_process');
  let redis = 0;
  try {
    const pid = Number(/process_id:(\d+)/.exec(execFileSync('redis-cli', ['info', 'server'], { encoding: 'utf8' }))?.[1]);
    if (pid) redis = (await procCpuMs(pid)) ?? 0;
  } catch {
    // No redis-cli: the Redis figure is left out (0).
  }
  return { pg, redis };
}

/**
 * The machine's clock ticks so far, all cores, from /proc/stat (Linux; zeros elsewhere): busy, idle, and
 * stolen (a virtual machine that wanted a core its host gave to another guest: on a shared host the same
 * run can be a third slower, so compare runs only with their steal in view).
 */
async function machineTicks(): Promise<{ busy: number; idle: number; steal: number }> {
  const { readFile } = await import('node:fs/promises');
  try {
    const [user, nice, system, idle, iowait, irq, softirq, steal] = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { busy: user! + nice! + system! + irq! + softirq!, idle: idle! + iowait!, steal: steal! };
  } catch {
    return { busy: 0, idle: 0, steal: 0 };
  }
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));
}

type Target = { token: string; messageIds: string[] };

/**
 * The load: thumbs from 50 visitors on their own messages, each with a new client id. The same requests
 * go to the real server and to the bare echo (it serves the same path), so both pay the same
 * load-generator cost per request on the shared cores.
 */
function makeLoad(port: number, origin: string, targets: Target[]) {
  let n = 0;
  return (opts: { duration?: number; amount?: number }) =>
    run({
      url: `http://127.0.0.1:${port}`,
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
              headers: { 'content-type': 'application/json', origin, authorization: `Bearer ${t.token}` },
              body: JSON.stringify({ clientEventId: `bench-${i}-${process.pid}`, rating: i % 3 === 0 ? 'down' : 'up', reasons: i % 3 === 0 ? ['wrong'] : [] }),
            };
          },
        },
      ],
    });
}

/**
 * Warm-up, then the measured run. A timed run cuts off requests in flight (stored but never
 * acknowledged), so the measured run sends a fixed number of requests — sized from the warm-up to last
 * about SECONDS — and waits for every answer. `between` runs after the warm-up's answers have landed.
 */
async function measure(child: ChildProcess, cpuAtReady: number, load: ReturnType<typeof makeLoad>, between?: () => Promise<void>) {
  const warmup = await load({ duration: WARMUP_SECONDS });
  // Requests the timed warm-up cut off are still being answered: let them land before counting.
  await new Promise((r) => setTimeout(r, 1000));
  await between?.();
  const amount = Math.max(1000, Math.round(warmup.requests.average * SECONDS));
  const machineBefore = await machineTicks();
  const loadCpuBefore = process.cpuUsage();
  const cpuBefore = await cpuNow(child, cpuAtReady);
  const result = await load({ amount });
  const loadCpu = process.cpuUsage(loadCpuBefore);
  const machine = await machineTicks();
  const [busy, idle, steal] = [machine.busy - machineBefore.busy, machine.idle - machineBefore.idle, machine.steal - machineBefore.steal];
  const total = Math.max(1, busy + idle + steal);
  const cpu = { busy: +(busy / total).toFixed(2), steal: +(steal / total).toFixed(2) };
  return { result, cpu, loadCpuMs: (loadCpu.user + loadCpu.system) / 1000, stopAndCpuMs: async () => (await stop(child), cpuMsAtExit.get(child)! - cpuBefore) };
}

const db = await createBenchDatabase();
const dbName = new URL(db.url).pathname.slice(1);
const probe = postgres(db.url, { max: 1, onnotice: () => {} });
const countEvents = async () => (await probe<{ n: number }[]>`select count(*)::int as n from feedback_events`)[0]!.n;
try {
  // 1. The real server.
  const real = await startChild(['real', db.url]);
  const targets = real.info.targets!;
  const origin = real.info.origin!;
  let before = 0;
  let since = new Date();
  let backendsBefore = { pg: 0, redis: 0 };
  const { result, cpu, loadCpuMs, stopAndCpuMs } = await measure(real.child, real.info.cpuMsAtReady, makeLoad(real.info.port, origin, targets), async () => {
    before = await countEvents();
    since = (await probe<{ now: Date }[]>`select now()`)[0]!.now;
    backendsBefore = await backendCpuMs(probe, dbName);
  });
  const backendsAfter = await backendCpuMs(probe, dbName);
  const serverCpuMs = await stopAndCpuMs();
  const rows = (await countEvents()) - before;
  // Events of one commit share their transaction's created_at: distinct values = commits.
  const [{ commits }] = await probe<{ commits: number }[]>`
    select count(distinct created_at)::int as commits from feedback_events where created_at >= ${since}`;

  const perReq = (ms: number, r = result) => +(ms / r.requests.total).toFixed(3);
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
    loadCpuMsPerReq: perReq(loadCpuMs),
    eventsPerCommit: +(rows / Math.max(1, commits)).toFixed(1),
    machineBusy: cpu.busy,
    machineSteal: cpu.steal,
  };
  if (process.env.BENCH_ONLY === 'real') {
    console.log(`BENCH ingest ${JSON.stringify({ ...real_, seconds: +result.duration.toFixed(1), connections: CONNECTIONS })}`);
  } else {
    // 2. The bare echo route, same layout, same requests.
    const bare = await startChild(['bare']);
    const bareRun = await measure(bare.child, bare.info.cpuMsAtReady, makeLoad(bare.info.port, origin, targets));
    const bareCpuMs = await bareRun.stopAndCpuMs();
    // 3. The bare echo answered after a group commit of one row per batch (no work per event).
    const commit = await startChild(['commit', db.url]);
    const commitRun = await measure(commit.child, commit.info.cpuMsAtReady, makeLoad(commit.info.port, origin, targets));
    const commitCpuMs = await commitRun.stopAndCpuMs();

    const figures = {
      ...real_,
      bareRps: Math.round(bareRun.result.requests.average),
      ratio: +(result.requests.average / bareRun.result.requests.average).toFixed(3),
      bareP99ms: bareRun.result.latency.p99,
      bareCpuMsPerReq: perReq(bareCpuMs, bareRun.result),
      bareLoadCpuMsPerReq: perReq(bareRun.loadCpuMs, bareRun.result),
      bareMachineBusy: bareRun.cpu.busy,
      bareMachineSteal: bareRun.cpu.steal,
      commitRps: Math.round(commitRun.result.requests.average),
      commitRatio: +(commitRun.result.requests.average / bareRun.result.requests.average).toFixed(3),
      commitP99ms: commitRun.result.latency.p99,
      commitCpuMsPerReq: perReq(commitCpuMs, commitRun.result),
      commitLoadCpuMsPerReq: perReq(commitRun.loadCpuMs, commitRun.result),
      commitMachineBusy: commitRun.cpu.busy,
      seconds: +result.duration.toFixed(1),
      connections: CONNECTIONS,
    };
    console.log(`BENCH ingest ${JSON.stringify(figures)}`);
  }
} finally {
  await probe.end();
  await db.drop();
}
