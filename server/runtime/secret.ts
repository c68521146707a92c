import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';

/**
 * The secret that signs visitor tokens: RAPPORT_SECRET when set, otherwise 32 random bytes generated on
 * the first start and kept in `${dataDir}/secret` (mode 600), so tokens survive restarts.
 */
export async function resolveSecret(config: Pick<Config, 'secret' | 'dataDir'>): Promise<string> {
  if (config.secret) return config.secret;
  return readOrCreateSecretFile(path.join(config.dataDir, 'secret'), () => randomBytes(32).toString('hex'));
}

/**
 * Reads a one-line secret file, or creates it with `make()` when missing. The file is created with
 * `wx` so two processes starting together agree on one value: the loser reads the winner's file.
 */
export async function readOrCreateSecretFile(file: string, make: () => string): Promise<string> {
  const existing = await readSecret(file);
  if (existing !== undefined) return existing;
  await mkdir(path.dirname(file), { recursive: true });
  const value = make();
  try {
    await writeFile(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    return value;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process wrote it between our read and our write: use theirs.
    const theirs = await readSecret(file);
    if (theirs === undefined) throw new Error(`${file} is empty: delete it and start again`);
    return theirs;
  }
}

async function readSecret(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const value = text.trim();
  if (value.length < 16) {
    throw new Error(`${file} holds no usable secret (under 16 characters): delete it to generate a new one`);
  }
  return value;
}
