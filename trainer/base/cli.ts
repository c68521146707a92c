/**
 * Trains the shipped base policy and writes `models/base-policy.rpck` + `models/base-policy.json`:
 *
 *   npm run train:base                               the shipped run (~30 min on 2 CPU cores)
 *   npm run train:base -- --steps 60 --out tmp/base  a quick try somewhere else
 *   npm run train:base -- --config '{"nLayer":2}'    any BaseConfig field (trainer/base/config.ts)
 *
 * Seeded: the same data, config and backend give the same checkpoint (up to float summation order of
 * the backend's kernels).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BASE_CHECKPOINT_FILE, BASE_MANIFEST_FILE } from '../../server/services/models/base-manifest.js';
import { projectPath } from '../../server/runtime/paths.js';
import { BaseConfig } from './config.js';
import { trainBase } from './train-base.js';

const USAGE = 'usage: npm run train:base -- [--steps N] [--config JSON] [--out DIR]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { steps: { type: 'string' }, config: { type: 'string', default: '{}' }, out: { type: 'string', default: projectPath('models') } },
  });
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(values.config!) as Record<string, unknown>;
  } catch {
    throw new Error(`--config is not JSON: pass an object such as '{"nLayer":2}'\n${USAGE}`);
  }
  if (values.steps !== undefined) raw.steps = Number(values.steps);
  const parsed = BaseConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`config: ${issue.path.join('.') || '(config)'}: ${issue.message}\n${USAGE}`);
  }
  const command = ['npm run train:base', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  const log = (line: string) => console.log(`train:base: ${line}`);
  const { bytes, manifest } = await trainBase({ config: parsed.data, command, log });
  const dir = path.resolve(values.out!);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, BASE_CHECKPOINT_FILE), bytes);
  writeFileSync(path.join(dir, BASE_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  log(`wrote ${path.join(dir, BASE_CHECKPOINT_FILE)} (${(bytes.byteLength / 1e6).toFixed(1)} MB, sha256 ${manifest.sha256.slice(0, 12)}…) in ${manifest.seconds} s`);
  const { curve: _curve, ...summary } = manifest;
  console.log(`TRAIN-BASE ${JSON.stringify(summary)}`);
}

main().catch((err: unknown) => {
  console.error(`train:base: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
