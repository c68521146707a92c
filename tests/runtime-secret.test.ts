import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveSecret } from '../server/runtime/secret.js';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'rapport-secret-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('resolveSecret', () => {
  it('generates a 32-byte secret once, keeps it in dataDir/secret (mode 600) and reuses it', async () => {
    const dataDir = await tempDir();
    const first = await resolveSecret({ dataDir, secret: undefined });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(dataDir, 'secret');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first);
    expect(await resolveSecret({ dataDir, secret: undefined })).toBe(first);
  });

  it('agrees on one value when several processes start at once', async () => {
    const dataDir = await tempDir();
    const values = await Promise.all(Array.from({ length: 5 }, () => resolveSecret({ dataDir, secret: undefined })));
    expect(new Set(values).size).toBe(1);
  });

  it('uses RAPPORT_SECRET when set and writes nothing', async () => {
    const dataDir = await tempDir();
    expect(await resolveSecret({ dataDir, secret: 'x'.repeat(40) })).toBe('x'.repeat(40));
    await expect(stat(path.join(dataDir, 'secret'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a truncated secret file and says how to recover', async () => {
    const dataDir = await tempDir();
    await writeFile(path.join(dataDir, 'secret'), 'short\n');
    await expect(resolveSecret({ dataDir, secret: undefined })).rejects.toThrow(/delete it to generate a new one/);
  });
});
