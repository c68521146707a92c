/**
 * `npm run bench -- NAME [args…]` runs bench/NAME.ts in its own process (so each benchmark gets a clean
 * heap and its own exit code). Without NAME, or with an unknown one, lists the benchmarks.
 * Every benchmark prints one machine-readable line: `BENCH NAME {json}`.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));

/** Benchmarks are the .ts files directly in bench/ (helpers live in bench/support/). */
function available(): { name: string; summary: string }[] {
  return readdirSync(benchDir)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
    .map((f) => ({ name: f.slice(0, -3), summary: firstDocLine(path.join(benchDir, f)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function firstDocLine(file: string): string {
  const m = /\/\*\*\s*\n?\s*\*?\s*(.+)/.exec(readFileSync(file, 'utf8'));
  // The doc comments open with "Title: details…": list the title.
  return m ? m[1]!.replace(/\*\/\s*$/, '').split(':')[0]!.trim() : '';
}

function usage(problem?: string): never {
  const list = available()
    .map((b) => `  ${b.name.padEnd(14)} ${b.summary}`)
    .join('\n');
  const out = `${problem ? `${problem}\n` : ''}usage: npm run bench -- NAME [args…]\nbenchmarks:\n${list}\n`;
  (problem ? process.stderr : process.stdout).write(out);
  process.exit(problem ? 2 : 0);
}

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h') usage();
if (!available().some((b) => b.name === name)) usage(`unknown benchmark "${name}"`);

const child = spawn(process.execPath, ['--import', 'tsx', path.join(benchDir, `${name}.ts`), ...args], { stdio: 'inherit' });
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
