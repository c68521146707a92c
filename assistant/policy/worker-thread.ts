/**
 * Starts a worker thread from a module of this project, TypeScript or compiled.
 *
 * Under tsx (npm start, benches) or vitest the worker's file is TypeScript, and Node 20 does not carry
 * tsx's `--import` loader into worker threads (privatenumber/tsx#354: the worker's entry fails with
 * ERR_UNKNOWN_FILE_EXTENSION). So a `.ts` worker starts from a two-line bootstrap that loads its module
 * through tsx's own API (`tsImport`), which works the same however the parent was started. A compiled
 * `.js` worker starts directly.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The worker module `name`: next to this file when running from source (`.ts`) or compiled file by
 * file; in the server bundle (vite.server.config.ts, where it is an entry) this code sits in a chunk
 * under `assets/` and the entry one folder up.
 */
export function siblingModule(name: string): URL {
  const here = fileURLToPath(import.meta.url);
  const dir = path.dirname(here);
  if (path.extname(here) === '.ts') return pathToFileURL(path.join(dir, `${name}.ts`));
  const candidates = [path.join(dir, `${name}.js`), path.join(dir, '..', `${name}.js`)];
  return pathToFileURL(candidates.find((f) => existsSync(f)) ?? candidates[0]!);
}

export function startWorkerThread(file: URL, options: WorkerOptions = {}): Worker {
  if (!file.pathname.endsWith('.ts')) return new Worker(file, options);
  // tsx/esm/api's "require" entry is index.cjs; its ESM build sits beside it as index.mjs.
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const api = pathToFileURL(path.join(path.dirname(cjs), 'index.mjs')).href;
  const boot = `const { tsImport } = await import(${JSON.stringify(api)});\nawait tsImport(${JSON.stringify(file.href)}, ${JSON.stringify(import.meta.url)});`;
  // execArgv: [] — the parent's tsx flags do not work in workers (see above) and inspector flags would clash.
  return new Worker(boot, { ...options, eval: true, execArgv: [] });
}
