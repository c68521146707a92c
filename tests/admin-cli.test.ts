import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeEntries, memberships, sites, staffUsers } from '../server/db/schema.js';
import { knowledgeTypeOf, parseCliArgs, runCommand, UsageError } from '../server/cli.js';
import { resolveApiToken } from '../server/services/tokens/resolve.js';
import { makeTestApp, type TestApp } from './support/app.js';

describe('parseCliArgs', () => {
  it('parses every command', () => {
    expect(parseCliArgs(['create-owner', '--email', 'a@b.c', '--password', 'secret123'])).toEqual({
      command: 'create-owner',
      email: 'a@b.c',
      password: 'secret123',
    });
    expect(parseCliArgs(['create-site', '--name', 'Acme', '--origin', 'https://a.example', '--origin=https://b.example'])).toEqual({
      command: 'create-site',
      name: 'Acme',
      origins: ['https://a.example', 'https://b.example'],
    });
    expect(parseCliArgs(['create-site', '--name', 'Acme', '--origin', '*', '--owner-email', 'o@x.y'])).toMatchObject({
      ownerEmail: 'o@x.y',
    });
    expect(parseCliArgs(['create-token'])).toEqual({ command: 'create-token' });
    expect(parseCliArgs(['create-token', '--email', 'a@b.c', '--name', 'ci'])).toEqual({
      command: 'create-token',
      email: 'a@b.c',
      name: 'ci',
    });
    expect(parseCliArgs(['import-knowledge', '--site', 'pk_abc', 'kb.csv'])).toEqual({
      command: 'import-knowledge',
      site: 'pk_abc',
      file: 'kb.csv',
    });
  });

  it.each([
    [[], /give a command/],
    [['drop-tables'], /unknown command "drop-tables"/],
    [['create-owner', '--email', 'a@b.c'], /--password is required/],
    [['create-owner', '--email', 'a@b.c', '--password', 'x', '--admin'], /Unknown option '--admin'/],
    [['create-site', '--name', 'Acme'], /at least one --origin/],
    [['create-token', 'extra'], /unexpected argument "extra"/],
    [['import-knowledge', '--site', 'x'], /exactly one FILE/],
    [['import-knowledge', 'a.csv'], /--site is required/],
  ])('refuses %j with one actionable line', (argv, message) => {
    let error: unknown;
    try {
      parseCliArgs(argv as string[]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('picks the knowledge format from the file extension', () => {
    expect(knowledgeTypeOf('/x/kb.JSON')).toBe('application/json');
    expect(knowledgeTypeOf('kb.jsonl')).toBe('application/x-ndjson');
    expect(knowledgeTypeOf('kb.csv')).toBe('text/csv');
    expect(() => knowledgeTypeOf('kb.txt')).toThrow(/\.json, \.jsonl or \.csv/);
  });
});

describe('runCommand against a database', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await makeTestApp();
    dir = await mkdtemp(path.join(tmpdir(), 'rapport-cli-'));
  });
  afterAll(async () => {
    await t?.close();
  });
  const run = (argv: string[]) => runCommand(parseCliArgs(argv), { db: t.db, config: t.deps.config });

  it('creates an owner, a site owned by the first account, a token, and imports a file', async () => {
    expect(await run(['create-owner', '--email', 'First@Example.com', '--password', 'long enough'])).toMatchObject({
      email: 'first@example.com',
    });
    const [first] = await t.db.select().from(staffUsers).where(eq(staffUsers.email, 'first@example.com'));
    await run(['create-owner', '--email', 'second@example.com', '--password', 'long enough']);

    const site = (await run(['create-site', '--name', 'Acme', '--origin', 'https://acme.example/'])) as Record<string, unknown>;
    expect(site).toMatchObject({ name: 'Acme', allowedOrigins: ['https://acme.example'], owner: 'first@example.com' });
    expect(site.snippet).toContain(`data-site-key="${site.siteKey as string}"`);
    const [m] = await t.db.select().from(memberships).where(eq(memberships.siteId, site.id as string));
    expect(m).toMatchObject({ userId: first!.id, role: 'owner' });

    const other = (await run(['create-site', '--name', 'B', '--origin', '*', '--owner-email', 'second@example.com'])) as { owner: string };
    expect(other.owner).toBe('second@example.com');

    const { token } = (await run(['create-token'])) as { token: string };
    expect(await resolveApiToken({ db: t.db, token })).toMatchObject({ userId: first!.id });

    const file = path.join(dir, 'kb.csv');
    await writeFile(file, 'question,answer\nHours?,9 to 5\n"Where, exactly?",Main street\n');
    expect(await run(['import-knowledge', '--site', site.siteKey as string, file])).toEqual({ siteId: site.id, added: 2, skipped: 0 });
    expect(await run(['import-knowledge', '--site', site.id as string, file])).toEqual({ siteId: site.id, added: 0, skipped: 2 });
    expect(await t.db.select().from(knowledgeEntries).where(eq(knowledgeEntries.siteId, site.id as string))).toHaveLength(2);
  });

  it('prefers the demo owner when no email is given', async () => {
    await run(['create-owner', '--email', 'demo@rapport.local', '--password', 'demo-password']);
    const { email } = (await run(['create-token', '--name', 'seed'])) as { email: string };
    expect(email).toBe('demo@rapport.local');
  });

  it('fails with a message naming what to do', async () => {
    await expect(run(['create-site', '--name', 'X', '--origin', 'https://x.example', '--owner-email', 'ghost@x.y'])).rejects.toThrow(
      /no staff account ghost@x\.y/,
    );
    await expect(run(['import-knowledge', '--site', 'pk_missing', path.join(dir, 'nope.json')])).rejects.toThrow(/cannot read/);
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '[{"question":"q"}]');
    const [site] = await t.db.select().from(sites).limit(1);
    await expect(run(['import-knowledge', '--site', site!.id, bad])).rejects.toThrow(/entry 1: answer/);
  });
});

describe('the cli process', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const exec = promisify(execFile);
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await makeTestApp();
    const [{ db }] = await t.sql<{ db: string }[]>`select current_database() as db`;
    const u = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    u.pathname = `/${db}`;
    url = u.toString();
  });
  afterAll(async () => {
    await t?.close();
  });
  const cli = (args: string[]) =>
    exec(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
    });

  it('prints JSON on stdout and exits 0', async () => {
    const { stdout } = await cli(['create-owner', '--email', 'proc@example.com', '--password', 'long enough']);
    expect(JSON.parse(stdout)).toMatchObject({ email: 'proc@example.com' });
  }, 60_000);

  it('prints one line on stderr and exits 1 on an error', async () => {
    const failure = await cli(['create-owner', '--email', 'proc@example.com', '--password', 'long enough']).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 1, stdout: '' });
    const stderr = (failure as { stderr: string }).stderr;
    expect(stderr).toMatch(/^rapport: a staff account for proc@example\.com already exists/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});
