/**
 * Child process of bench/ingest.ts: the real server (real app, Postgres, Redis) on a loopback port, with
 * a seeded site, visitors and assistant messages to rate. Prints one JSON line with what the load
 * generator needs, then serves until killed. With argv[2] === "bare", serves only a Hono JSON echo
 * route on the thumbs path instead: the same process layout, the framework's ceiling. With "commit"
 * (and the database URL), the same echo answered after a group commit of one row per batch: the ceiling
 * of any server that acknowledges only after commit, on this machine.
 */
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import postgres from 'postgres';
import { createApp } from '../../server/app.js';
import { buildDeps } from '../../server/build-deps.js';
import { loadConfig } from '../../server/config.js';
import { GroupCommit } from '../../server/db/group-commit.js';
import { conversations, messages, sites, visitors } from '../../server/db/schema.js';
import { signVisitorToken } from '../../server/services/widget/visitor-token.js';

const VISITORS = 50;
const MESSAGES_PER_VISITOR = 20;

/**
 * With BENCH_PROFILE=<file>, profiles the real server's CPU from "ready" to SIGTERM (serving only, no
 * start-up) and writes a .cpuprofile there (open it in Chrome DevTools).
 */
async function startProfile(): Promise<(() => Promise<void>) | null> {
  const file = process.env.BENCH_PROFILE;
  if (!file) return null;
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
  };
}

function listen(fetch: (req: Request, env: unknown) => Response | Promise<Response>, info: object, profile = false) {
  const profiling = profile ? startProfile() : Promise.resolve(null);
  const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (addr) => {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ port: addr.port, cpuMsAtReady: (user + system) / 1000, ...info })}\n`);
  });
  // On SIGTERM, report the CPU this process used (the load generator divides it by the requests served).
  process.on('SIGTERM', async () => {
    const { user, system } = process.cpuUsage();
    await (await profiling)?.();
    process.stderr.write(`${JSON.stringify({ cpuMs: (user + system) / 1000 })}\n`);
    server.close(() => process.exit(0));
  });
}

const THUMBS_PATH = '/v1/widget/messages/:id/feedback';

if (process.argv[2] === 'bare') {
  const app = new Hono();
  // The thumbs path, so the load generator sends it exactly the requests the real server gets.
  app.post(THUMBS_PATH, async (c) => c.json({ ok: true, echo: await c.req.json() }));
  listen(app.fetch, {});
} else if (process.argv[2] === 'commit') {
  // The bare echo, answered only after a durable commit: the server's own group commit, writing one
  // row per batch and nothing per request. What committing costs on this machine, with no work per event.
  const sql = postgres(process.argv[3]!, { max: Number(process.env.BENCH_POOL ?? 10), onnotice: () => {} });
  await sql`create table bench_commits (requests int not null, at timestamptz not null default now())`;
  const commits = new GroupCommit<unknown, true>(async (bodies) => {
    await sql`insert into bench_commits (requests) values (${bodies.length})`;
    return bodies.map(() => true as const);
  });
  const app = new Hono();
  app.post(THUMBS_PATH, async (c) => {
    const body = await c.req.json();
    await commits.record(body);
    return c.json({ ok: true, echo: body });
  });
  listen(app.fetch, {});
} else {
  const databaseUrl = process.argv[3]!;
  const config = {
    ...loadConfig({ ...process.env, RATE_LIMIT_IP_PER_MIN: '100000000', RATE_LIMIT_VISITOR_PER_MIN: '100000000', REDIS_PREFIX: `rapport-bench:${randomBytes(3).toString('hex')}:` }),
    secret: randomBytes(32).toString('hex'),
  };
  const { deps } = buildDeps({ config, databaseUrl, poolSize: Number(process.env.BENCH_POOL ?? 10) });
  const [site] = await deps.db
    .insert(sites)
    .values({ publicKey: `pk_bench_${randomBytes(4).toString('hex')}`, name: 'Bench', allowedOrigins: ['http://bench.local'] })
    .returning();
  const targets: { token: string; messageIds: string[] }[] = [];
  for (let v = 0; v < VISITORS; v++) {
    const [visitor] = await deps.db.insert(visitors).values({ siteId: site!.id }).returning();
    const [conv] = await deps.db.insert(conversations).values({ siteId: site!.id, visitorId: visitor!.id }).returning();
    const rows = await deps.db
      .insert(messages)
      .values(
        Array.from({ length: MESSAGES_PER_VISITOR }, (_, i) => ({
          siteId: site!.id,
          conversationId: conv!.id,
          role: 'assistant' as const,
          content: `answer ${i}`,
          responder: 'retrieval',
          modelVersion: 'bench',
        })),
      )
      .returning({ id: messages.id });
    targets.push({ token: signVisitorToken(config.secret, { siteId: site!.id, visitorId: visitor!.id }), messageIds: rows.map((r) => r.id) });
  }
  listen(createApp(deps).fetch, { origin: 'http://bench.local', targets }, true);
}
