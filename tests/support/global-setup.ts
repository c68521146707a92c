/**
 * Runs once before all test files: migrates a template database that each suite clones
 * (`CREATE DATABASE … TEMPLATE`), so suites are isolated and do not pay for migrations. The template's
 * name is unique per run (several runs may share one Postgres) and handed to the suites via `provide`.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { runMigrations } from '../../server/db/migrate.js';
import { adminUrl, urlFor } from './pg.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = `rapport_tpl_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  await runMigrations(urlFor(name));
  project.provide('templateDb', name);
  return async () => {
    const a = postgres(adminUrl(), { max: 1, onnotice: () => {} });
    try {
      await a.unsafe(`drop database if exists ${name} with (force)`);
    } finally {
      await a.end();
    }
  };
}
