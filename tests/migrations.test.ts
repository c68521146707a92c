import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsFolder, runMigrations } from '../server/db/migrate.js';
import { adminUrl, urlFor } from './support/pg.js';

const name = `rapport_test_mig_${randomBytes(4).toString('hex')}`;
const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
let dir = '';
afterAll(async () => {
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The migrations folder as it was up to and including `tag`. */
async function migrationsUpTo(tag: string): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), 'rapport-mig-'));
  await cp(migrationsFolder, dir, { recursive: true });
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === tag) + 1);
  await writeFile(journalFile, JSON.stringify(journal));
  return dir;
}

describe('migrations on a database that holds data', () => {
  it('0003 keeps every thumbs event, numbers them in the order they were stored, and the newest stays current', async () => {
    await admin.unsafe(`create database ${name}`);
    const sql = postgres(urlFor(name), { max: 1, onnotice: () => {} });
    try {
      await migrate(drizzle(sql), { migrationsFolder: await migrationsUpTo('0002_feedback_keyed_to_message') });
      const [m] = await sql`
        with s as (insert into sites (public_key, name, allowed_origins) values ('pk_mig', 'M', '{}') returning id),
        v as (insert into visitors (site_id) select id from s returning id, site_id),
        c as (insert into conversations (site_id, visitor_id) select site_id, id from v returning id, site_id, visitor_id)
        insert into messages (site_id, conversation_id, role, content) select site_id, id, 'assistant', 'a' from c
        returning id, site_id, (select visitor_id from c) as visitor_id`;
      // Stored out of time order: the later event goes in first.
      for (const [e, rating, ago] of [['e2', 'down', '0'], ['e1', 'up', '1 minute']] as const) {
        await sql`insert into feedback_events (site_id, message_id, visitor_id, client_event_id, rating, created_at)
          values (${m!.site_id}, ${m!.id}, ${m!.visitor_id}, ${e}, ${rating}, now() - ${ago}::interval)`;
      }
      await sql`insert into feedback (message_id, visitor_id, site_id, rating, event_id)
        select message_id, visitor_id, site_id, rating, id from feedback_events where client_event_id = 'e2'`;

      await runMigrations(urlFor(name));

      expect(await sql`select seq, client_event_id, rating from feedback_events order by seq`).toEqual([
        { seq: '1', client_event_id: 'e1', rating: 'up' },
        { seq: '2', client_event_id: 'e2', rating: 'down' },
      ]);
      expect(await sql`select rating, event_seq from feedback`).toEqual([{ rating: 'down', event_seq: '2' }]);
      // New events continue the numbering.
      const [next] = await sql`insert into feedback_events (site_id, message_id, visitor_id, client_event_id, rating)
        values (${m!.site_id}, ${m!.id}, ${m!.visitor_id}, 'e3', null) returning seq`;
      expect(next!.seq).toBe('3');
    } finally {
      await sql.end();
    }
  });
});
