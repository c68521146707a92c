/**
 * Where a sandboxed processor file is and how its child process loads TypeScript.
 *
 * BullMQ forks its own `main.js` and that child `import()`s the processor file. Under `tsx` the parent's
 * execArgv already holds tsx's loader (`--require …/preflight.cjs --import …/loader.mjs`) and BullMQ
 * passes execArgv on, so a `.ts` processor loads. Started any other way (vitest, plain node running
 * a bundle of the worker), the loader is added explicitly, so the child never depends on how the parent
 * was started. When this folder is compiled to JavaScript the `.js` processor is used and no loader is
 * needed.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(import.meta.url);
const compiled = path.extname(here) !== '.ts';

/** Absolute path of `processors/<name>.ts` (or `.js` when compiled). */
export function processorFile(name: 'sft'): string {
  return path.join(path.dirname(here), 'processors', `${name}${compiled ? '.js' : '.ts'}`);
}

/** execArgv for the child: the parent's, plus tsx's ESM loader when TypeScript must load and it is missing. */
export function sandboxExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const args = execArgv.filter((a) => !a.startsWith('--inspect')); // a second debugger on the same port would fail
  if (compiled || args.some((a) => /tsx[\\/]dist[\\/]loader|^tsx$|tsx\/esm/.test(a))) return args;
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return [...args, '--import', loader];
}
