import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithDemo, type DemoServer } from '../server/start.js';
import { createTestDatabase } from './support/pg.js';

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

// What `npm start` does, on a test database: the API and the demo page on two origins, wired together.
describe('startWithDemo', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let running: DemoServer;
  let api: string;
  let demoPort: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'rapport-start-'));
    demoPort = await freePort();
    running = await startWithDemo({
      env: {
        DATABASE_URL: database.url,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_PREFIX: `rapport-test:${randomBytes(4).toString('hex')}:`,
        DATA_DIR: dataDir,
        PORT: '0',
        DEMO_PORT: String(demoPort),
      },
      log: () => {},
      handleSignals: false,
    });
    api = `http://127.0.0.1:${running.server.port}`;
  }, 60_000);

  afterAll(async () => {
    await running?.server.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves a ready API and the widget bundle', async () => {
    const ready = await fetch(`${api}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, checks: { postgres: true, redis: true } });
    const widget = await fetch(`${api}/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toMatch(/javascript/);
  });

  it('serves the demo page on its own port, embedding the widget from the API', async () => {
    expect(running.demo?.url).toBe(`http://localhost:${demoPort}`);
    const page = await fetch(`http://127.0.0.1:${demoPort}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Demo Shop');
    expect(html).toContain(`<script async src="http://localhost:${running.server.port}/widget.js" data-site-key="pk_demo"></script>`);
  });

  it('lets the demo page origin open a widget session, and no other origin', async () => {
    const session = (origin: string) =>
      fetch(`${api}/v1/widget/sessions`, {
        method: 'POST',
        headers: { Origin: origin, 'Content-Type': 'application/json' },
        body: JSON.stringify({ siteKey: 'pk_demo' }),
      });
    const ok = await session(`http://localhost:${demoPort}`);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ site: { name: 'Demo Shop' } });
    expect((await session(`http://127.0.0.1:${demoPort}`)).status).toBe(201);
    expect((await session('https://elsewhere.example')).status).toBe(403);
  });

  it('prints working staff credentials', async () => {
    const { email, password } = running.demo!.seed.owner;
    const login = await fetch(`${api}/v1/admin/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: api },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
  });

  it('closes both ports on close()', async () => {
    await running.server.close();
    await expect(fetch(`${api}/healthz`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${demoPort}/`)).rejects.toThrow();
  });
});
