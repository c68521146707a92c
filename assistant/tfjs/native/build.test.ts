import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { fallbackBackend } from '../backend.js';

const script = fileURLToPath(new URL('./build.mjs', import.meta.url));
const dirs: string[] = [];
function build(env: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'rapport-native-'));
  dirs.push(dir);
  const r = spawnSync(process.execPath, [script], {
    env: { ...process.env, RAPPORT_NATIVE: '', ...env, RAPPORT_NATIVE_BUILD_DIR: dir },
    encoding: 'utf8',
  });
  return { ...r, addon: path.join(dir, 'rapport_tfjs.node') };
}
const hasCc = spawnSync('cc', ['--version']).status === 0;

describe('native kernels build (npm install)', () => {
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('never fails the install: without a compiler it says why and exits 0', () => {
    const r = build({ CC: 'no-such-cc-rapport' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/native tfjs kernels not built \(no-such-cc-rapport failed: .*\); training uses the wasm backend/);
    expect(existsSync(r.addon)).toBe(false);
  });

  it('is skipped with RAPPORT_NATIVE=0', () => {
    const r = build({ RAPPORT_NATIVE: '0' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/not built \(RAPPORT_NATIVE=0\)/);
  });

  it.skipIf(!hasCc)('builds the addon where cc, Node headers and OpenBLAS are present', () => {
    const r = build({});
    expect(r.status).toBe(0);
    if (/not built/.test(r.stdout)) expect(r.stdout).toMatch(/OpenBLAS missing|node_api\.h/); // a Debian box without libopenblas-dev
    else expect(existsSync(r.addon)).toBe(true);
  }, 60_000);

  it('without the addon, the backend falls back to patched wasm and says why', () => {
    expect(fallbackBackend({ kernels: null, reason: 'not built: run …' })).toEqual({
      name: 'wasm',
      reason: 'no tfjs-node package; native kernels not built: run …',
    });
  });
});
