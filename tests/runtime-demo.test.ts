import { mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../server/db/client.js';
import { auditLog, knowledgeEntries, memberships, sites, staffUsers } from '../server/db/schema.js';
import { renderDemoPage } from '../server/runtime/demo-page.js';
import { DEMO_SITE_KEY, seedDemo } from '../server/runtime/demo-seed.js';
import { verifyPassword } from '../server/services/auth/password.js';
import { createTestDatabase } from './support/pg.js';

const origins = ['http://localhost:8788', 'http://127.0.0.1:8788'];

describe('seedDemo', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let conn: Database;
  let dataDir: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    conn = openDatabase(database.url, { max: 2 });
    dataDir = await mkdtemp(path.join(tmpdir(), 'rapport-demo-'));
  });
  afterAll(async () => {
    await conn.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const counts = async () => {
    const n = async (table: typeof staffUsers | typeof sites | typeof knowledgeEntries | typeof memberships | typeof auditLog) =>
      (await conn.db.select({ n: count() }).from(table))[0]!.n;
    return {
      staff: await n(staffUsers),
      sites: await n(sites),
      knowledge: await n(knowledgeEntries),
      memberships: await n(memberships),
      audit: await n(auditLog),
    };
  };

  it('creates the owner, the pk_demo shop and its knowledge base once; a second run adds nothing', async () => {
    const first = await seedDemo({ db: conn.db, dataDir, demoOrigins: origins });
    expect(first.created).toEqual({ owner: true, site: true, knowledgeEntries: 4514 });
    const afterFirst = await counts();
    expect(afterFirst).toMatchObject({ staff: 1, sites: 1, knowledge: 4514, memberships: 1 });

    const [site] = await conn.db.select().from(sites).where(eq(sites.publicKey, DEMO_SITE_KEY));
    expect(site).toMatchObject({ name: 'Demo Shop', allowedOrigins: origins, compareRate: 0.2, knowledgeVersion: 1 });
    expect(site!.placeholders).toMatchObject({ 'Website Name': 'Demo Shop', 'Customer Support Phone Number': '+1 555 0100' });

    // The printed credentials are kept (mode 600) and really sign in.
    const file = path.join(dataDir, 'demo-owner.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, 'utf8')) as { email: string; password: string };
    expect(saved).toEqual({ email: 'demo@rapport.local', password: first.owner.password });
    const [user] = await conn.db.select().from(staffUsers).where(eq(staffUsers.email, 'demo@rapport.local'));
    expect(await verifyPassword(user!.passwordHash, saved.password)).toBe(true);

    const second = await seedDemo({ db: conn.db, dataDir, demoOrigins: origins });
    expect(second.created).toEqual({ owner: false, site: false, knowledgeEntries: 0 });
    expect(second.owner.password).toBe(first.owner.password);
    expect(second.site.id).toBe(first.site.id);
    expect(await counts()).toEqual(afterFirst);
  }, 60_000);

  it('allows the demo page on a new DEMO_PORT without touching anything else', async () => {
    const before = await counts();
    await seedDemo({ db: conn.db, dataDir, demoOrigins: ['http://localhost:9900', 'http://127.0.0.1:8788'] });
    const [site] = await conn.db.select().from(sites).where(eq(sites.publicKey, DEMO_SITE_KEY));
    expect(site!.allowedOrigins).toEqual([...origins, 'http://localhost:9900']);
    expect(await counts()).toMatchObject({ ...before, audit: before.audit + 1 });
  });

  it('still starts when the credentials file was lost, and says the password is unknown', async () => {
    await unlink(path.join(dataDir, 'demo-owner.json'));
    const result = await seedDemo({ db: conn.db, dataDir, demoOrigins: origins });
    expect(result.owner.password).toBeUndefined();
    expect(result.created).toEqual({ owner: false, site: false, knowledgeEntries: 0 });
  });
});

describe('renderDemoPage', () => {
  it('points the loader snippet at the configured API', async () => {
    const html = await renderDemoPage('https://chat.example.com');
    expect(html).toContain(
      '<script>window.Rapport=window.Rapport||function(){(Rapport.q=Rapport.q||[]).push(arguments)};</script>' +
        '<script async src="https://chat.example.com/widget.js" data-site-key="pk_demo"></script>',
    );
    expect(html).not.toContain('localhost:8787');
  });

  it('adds data-api when the API lives under a path', async () => {
    const html = await renderDemoPage('https://example.com/rapport');
    expect(html).toContain('src="https://example.com/rapport/widget.js" data-site-key="pk_demo" data-api="https://example.com/rapport"');
  });
});
