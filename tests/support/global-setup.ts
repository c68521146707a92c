/**
 * Runs once before all test files: migrates a template database that each suite clones
 * (`CREATE DATABASE … TEMPLATE`), so suites are isolated and do not pay for migrations.
 */
import postgres from 'postgres';
import { runMigrations } from '../../server/db/migrate.js';
import { adminUrl, TEMPLATE_DB, urlFor } from './pg.js';

export default async function setup(): Promise<void> {
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await admin.unsafe(`create database ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  await runMigrations(urlFor(TEMPLATE_DB));
}
