/**
 * Starts a worker thread from a module of this project, TypeScript or compiled.
 *
 * Under tsx (npm start, benches) or vitest the worker's file is TypeScript, and Node 20 does not carry
 * tsx's `--import` loader into worker threads (privatenumber/tsx#354: the worker's entry fails with
 * ERR_UNKNOWN_FILE_EXTENSION). So a `.ts` worker starts from a two-line bootstrap that loads its module
 * through tsx's own API (`tsImport`), which works the same however the parent was started. A compiled
 * `.js` worker starts directly.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The module next to this file named `name` (`.ts` when running from source, `.js` when compiled). */
export function siblingModule(name: string): URL {
  const here = fileURLToPath(import.meta.url);
  return pathToFileURL(path.join(path.dirname(here), `${name}${path.extname(here) === '.ts' ? '.ts' : '.js'}`));
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
