#!/usr/bin/env node
/**
 * Builds the optional native kernels (OpenBLAS sgemm + vectorized elementwise C, N-API) into
 * build/rapport_tfjs.node. Runs from `npm install` (postinstall) and never fails it: without a C
 * compiler, Node's headers or OpenBLAS (Debian: `apt-get install libopenblas-dev`) it prints why and
 * exits 0, and the project runs on the patched wasm backend instead (slower).
 *   node assistant/tfjs/native/build.mjs      rebuild by hand (e.g. after editing the C files)
 *   RAPPORT_NATIVE=0 npm install              skip it
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// RAPPORT_NATIVE_BUILD_DIR: build elsewhere (tests); the loader only looks in ./build.
const buildDir = process.env.RAPPORT_NATIVE_BUILD_DIR || path.join(here, 'build');
const out = path.join(buildDir, 'rapport_tfjs.node');
const say = (line) => console.log(`rapport: native tfjs kernels ${line}`);

function skip(reason) {
  say(`not built (${reason}); training uses the wasm backend, which is slower`);
  rmSync(out, { force: true }); // a stale binary must not outlive a failed rebuild
  process.exit(0);
}

if (process.env.RAPPORT_NATIVE === '0') skip('RAPPORT_NATIVE=0');
if (process.platform !== 'linux') skip(`platform ${process.platform}: the build script knows Linux only`);

const headerDirs = [
  process.env.npm_config_nodedir && path.join(process.env.npm_config_nodedir, 'include', 'node'),
  path.resolve(path.dirname(process.execPath), '..', 'include', 'node'),
  '/usr/include/node',
  '/usr/local/include/node',
].filter(Boolean);
const nodeHeaders = headerDirs.find((d) => existsSync(path.join(d, 'node_api.h')));
if (!nodeHeaders) skip(`no node_api.h in ${headerDirs.join(', ')}`);

/** sha256 of the C sources (same recipe as load.ts). */
function sourcesHash() {
  const h = createHash('sha256');
  for (const f of readdirSync(here).filter((f) => /\.[ch]$/.test(f)).sort()) h.update(f).update(readFileSync(path.join(here, f)));
  return h.digest('hex');
}

const cc = process.env.CC || 'cc';
const sources = readdirSync(here).filter((f) => f.endsWith('.c')).map((f) => path.join(here, f));
const args = [
  '-O3', '-fPIC', '-shared', '-fopenmp-simd', '-fno-math-errno', '-fno-trapping-math', '-std=gnu11',
  '-DNODE_GYP_MODULE_NAME=rapport_tfjs', `-I${nodeHeaders}`,
  ...sources,
  '-o', `${out}.tmp`,
  '-lopenblas', '-lmvec', '-lm',
];
mkdirSync(path.dirname(out), { recursive: true });
try {
  execFileSync(cc, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  renameSync(`${out}.tmp`, out);
  // The loader compares this with the current sources and ignores a binary built from other ones.
  writeFileSync(path.join(buildDir, 'sources.sha256'), `${sourcesHash()}\n`);
  say(`built: ${path.relative(process.cwd(), out)}`);
} catch (err) {
  rmSync(`${out}.tmp`, { force: true });
  const stderr = String(err.stderr ?? err.message).trim().split('\n');
  const hint = stderr.some((l) => /cblas\.h|lopenblas/.test(l)) ? 'OpenBLAS missing: apt-get install libopenblas-dev' : stderr.slice(-3).join(' | ');
  skip(`${cc} failed: ${hint}`);
}
