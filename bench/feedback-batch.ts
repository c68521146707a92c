/**
 * Feedback batch: Postgres CPU per thumbs event of the group-commit statement (`writeBatch`, the one the
 * server runs), alone on one connection, at several batch sizes. The ingest bench's rps moves with
 * everything else on the machine; this isolates the database's share, read from the backend's own CPU
 * time (/proc, Linux), so a change to the statement or the schema can be judged on its own.
 * 50 visitors × 20 assistant messages (as in `ingest`), statistics analyzed; BATCH_ROUNDS batches per size.
 *   npm run bench -- feedback-batch
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { writeBatch, type FeedbackItem } from '../server/services/widget/feedback-batcher.js';
import { createBenchDatabase } from './support/bench-db.js';
import { procCpuMs } from './support/proc-cpu.js';

const ROUNDS = Number(process.env.BATCH_ROUNDS ?? 1500);
const SIZES = [1, 5, 20, 50];

/** CPU (ms) of the Postgres backend so far (Linux /proc; this bench needs it). */
async function backendCpuMs(pid: number): Promise<number> {
  const ms = await procCpuMs(pid);
  if (ms === null) throw new Error(`feedback-batch reads Postgres's CPU from /proc/${pid}/stat: run it on Linux, on the same machine as Postgres`);
  return ms;
}

const db = await createBenchDatabase();
const sql = postgres(db.url, { max: 1, onnotice: () => {} });
try {
  const [site] = await sql<{ id: string }[]>`
    insert into sites (public_key, name, allowed_origins) values (${`pk_bench_${randomBytes(4).toString('hex')}`}, 'Bench', ${['http://bench.local']})
    returning id`;
  // One conversation of 20 assistant messages per visitor.
  const targets = await sql<{ visitorId: string; messageIds: string[] }[]>`
    with v as (insert into visitors (site_id) select ${site!.id} from generate_series(1, 50) returning id),
    c as (insert into conversations (site_id, visitor_id) select ${site!.id}, id from v returning id, visitor_id),
    m as (
      insert into messages (site_id, conversation_id, role, content, responder, model_version)
      select ${site!.id}, c.id, 'assistant', 'answer ' || n, 'retrieval', 'bench' from c, generate_series(1, 20) n
      returning conversation_id, id
    )
    select c.visitor_id as "visitorId", array_agg(m.id) as "messageIds" from c join m on m.conversation_id = c.id group by c.visitor_id`;
  await sql`analyze`;
  const [{ pid }] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;

  let n = 0;
  const batch = (size: number): FeedbackItem[] =>
    Array.from({ length: size }, () => {
      const i = n++;
      const t = targets[i % targets.length]!;
      return {
        siteId: site!.id,
        visitorId: t.visitorId,
        messageId: t.messageIds[Math.floor(i / targets.length) % t.messageIds.length]!,
        clientEventId: `bench-${i}`,
        rating: i % 3 === 0 ? 'down' : 'up',
        reasons: i % 3 === 0 ? ['wrong'] : [],
        comment: null,
      };
    });

  const figures: Record<string, { pgCpuUsPerEvent: number; wallMsPerBatch: number }> = {};
  for (const size of SIZES) {
    for (let r = 0; r < 200; r++) await writeBatch(sql, batch(size)); // warm: prepared statement, caches
    const cpu0 = await backendCpuMs(pid);
    const t0 = performance.now();
    for (let r = 0; r < ROUNDS; r++) await writeBatch(sql, batch(size));
    const wallMs = performance.now() - t0;
    const cpuMs = (await backendCpuMs(pid)) - cpu0;
    figures[`batch${size}`] = { pgCpuUsPerEvent: +((cpuMs * 1000) / (ROUNDS * size)).toFixed(1), wallMsPerBatch: +(wallMs / ROUNDS).toFixed(3) };
  }
  console.log(`BENCH feedback-batch ${JSON.stringify({ ...figures, rounds: ROUNDS })}`);
} finally {
  await sql.end();
  await db.drop();
}
