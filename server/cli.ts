/**
 * Operator commands against the same database `npm start` uses (DATABASE_URL, else the embedded
 * Postgres in DATA_DIR). Run as `npm run cli -- <command> …`. Prints one JSON document on stdout;
 * an error is one actionable line on stderr and exit code 1.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type Config } from './config.js';
import { openDatabase, type Db } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { importKnowledge } from './services/knowledge/import.js';
import { parseKnowledge } from './services/knowledge/parse.js';
import { createSite } from './services/sites/create.js';
import { findSiteByRef } from './services/sites/find-by-ref.js';
import { embedSnippet } from './services/sites/snippet.js';
import { siteView } from './services/sites/view.js';
import { createOwner } from './services/staff/create-owner.js';
import { findStaffUser } from './services/staff/find-user.js';
import { createApiToken } from './services/tokens/create.js';

export type CliCommand =
  | { command: 'create-owner'; email: string; password: string }
  | { command: 'create-site'; name: string; origins: string[]; ownerEmail?: string }
  | { command: 'create-token'; email?: string; name?: string }
  | { command: 'import-knowledge'; site: string; file: string };

/** One usage line per command: errors quote the line of the command that was mistyped. */
export const COMMAND_USAGE = {
  'create-owner': 'create-owner --email E --password P',
  'create-site': 'create-site --name N --origin URL [--origin URL2 …] [--owner-email E]',
  'create-token': 'create-token [--email E] [--name N]',
  'import-knowledge': 'import-knowledge --site ID|KEY FILE.json|FILE.jsonl|FILE.csv',
} as const;

export const USAGE = `usage: npm run cli -- <command> [options]\n${Object.values(COMMAND_USAGE)
  .map((u) => `  ${u}`)
  .join('\n')}`;

/** A mistake in the command line: the one-line message says what to type instead. */
export class UsageError extends Error {}

const specs = {
  'create-owner': { email: { type: 'string' }, password: { type: 'string' } },
  'create-site': { name: { type: 'string' }, origin: { type: 'string', multiple: true }, 'owner-email': { type: 'string' } },
  'create-token': { email: { type: 'string' }, name: { type: 'string' } },
  'import-knowledge': { site: { type: 'string' } },
} as const;

type CommandName = keyof typeof specs;
const isCommand = (s: string | undefined): s is CommandName => s !== undefined && Object.hasOwn(specs, s);

/** Parses `argv` (without node and the script) into a command. Pure: throws UsageError. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [name, ...rest] = argv;
  if (!isCommand(name)) {
    const known = Object.keys(specs).join(', ');
    throw new UsageError(name ? `unknown command "${name}": use one of ${known}` : `give a command: one of ${known} (--help shows usage)`);
  }
  const usage = `(usage: npm run cli -- ${COMMAND_USAGE[name]})`;
  let parsed: { values: Record<string, string | string[] | undefined>; positionals: string[] };
  try {
    const options: ParseArgsConfig['options'] = specs[name];
    parsed = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (err) {
    throw new UsageError(`${name}: ${(err as Error).message} ${usage}`);
  }
  const { values, positionals } = parsed;
  const one = (key: string): string | undefined => values[key] as string | undefined;
  const need = (key: string): string => {
    const value = one(key);
    if (!value) throw new UsageError(`${name}: --${key} is required ${usage}`);
    return value;
  };
  const noPositionals = () => {
    if (positionals.length) throw new UsageError(`${name}: unexpected argument "${positionals[0]}" ${usage}`);
  };
  switch (name) {
    case 'create-owner':
      noPositionals();
      return { command: name, email: need('email'), password: need('password') };
    case 'create-site': {
      noPositionals();
      const origins = (values.origin as string[] | undefined) ?? [];
      if (origins.length === 0) throw new UsageError(`create-site: give at least one --origin (or --origin '*') ${usage}`);
      const ownerEmail = one('owner-email');
      return { command: name, name: need('name'), origins, ...(ownerEmail ? { ownerEmail } : {}) };
    }
    case 'create-token': {
      noPositionals();
      const email = one('email');
      const tokenName = one('name');
      return { command: name, ...(email ? { email } : {}), ...(tokenName ? { name: tokenName } : {}) };
    }
    case 'import-knowledge': {
      if (positionals.length !== 1) throw new UsageError(`import-knowledge: give exactly one FILE ${usage}`);
      return { command: name, site: need('site'), file: positionals[0]! };
    }
  }
}

/** Content-Type for a knowledge file, from its extension. */
export function knowledgeTypeOf(file: string): string {
  const ext = path.extname(file).toLowerCase();
  const types: Record<string, string> = {
    '.json': 'application/json',
    '.jsonl': 'application/x-ndjson',
    '.ndjson': 'application/x-ndjson',
    '.csv': 'text/csv',
  };
  const type = types[ext];
  if (!type) throw new UsageError(`import-knowledge: ${file}: use a .json, .jsonl or .csv file`);
  return type;
}

/** Base URL for snippets printed here: PUBLIC_URL, else where `npm start` listens. */
const publicUrlOf = (config: Config) =>
  config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;

/** Runs one parsed command against a database and returns what to print. */
export async function runCommand(cmd: CliCommand, { db, config }: { db: Db; config: Config }): Promise<unknown> {
  switch (cmd.command) {
    case 'create-owner': {
      return createOwner({ db, input: { email: cmd.email, password: cmd.password } });
    }
    case 'create-site': {
      const owner = await findStaffUser({ db, email: cmd.ownerEmail });
      const site = await createSite({ db, input: { name: cmd.name, allowedOrigins: cmd.origins }, ownerUserId: owner.id });
      return {
        ...siteView(site, 'owner'),
        owner: owner.email,
        snippet: embedSnippet({ publicUrl: publicUrlOf(config), siteKey: site.publicKey }),
      };
    }
    case 'create-token': {
      const user = await findStaffUser({ db, email: cmd.email });
      const { id, token } = await createApiToken({ db, userId: user.id, name: cmd.name ?? 'cli' });
      return { token, id, email: user.email };
    }
    case 'import-knowledge': {
      const type = knowledgeTypeOf(cmd.file);
      let body: string;
      try {
        body = await readFile(cmd.file, 'utf8');
      } catch (err) {
        throw new UsageError(`import-knowledge: cannot read ${cmd.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const site = await findSiteByRef({ db, ref: cmd.site });
      const result = await importKnowledge({ db, siteId: site.id, entries: parseKnowledge(body, type) });
      return { siteId: site.id, ...result };
    }
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const cmd = parseCliArgs(argv);
  const config = loadConfig();
  // Loaded here, not at the top: parsing and its tests must not pull in the embedded Postgres.
  const { resolveDatabaseUrl } = await import('./runtime/database.js');
  const database = await resolveDatabaseUrl(config);
  try {
    await runMigrations(database.url);
    const { db, close } = openDatabase(database.url, { max: 2 });
    try {
      process.stdout.write(`${JSON.stringify(await runCommand(cmd, { db, config }))}\n`);
    } finally {
      await close();
    }
  } finally {
    await database.stop();
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`rapport: ${message.split('\n')[0]}\n`);
    process.exitCode = 1;
  });
}
