import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import type { CreateSiteRequest } from '../../protocol/admin.js';
import type { Db } from '../db/client.js';
import { knowledgeEntries, sites, staffUsers, type Site } from '../db/schema.js';
import { AppError } from '../errors.js';
import { importKnowledge } from '../services/knowledge/import.js';
import { parseKnowledge } from '../services/knowledge/parse.js';
import { createSite } from '../services/sites/create.js';
import { updateSite } from '../services/sites/update.js';
import { createOwner } from '../services/staff/create-owner.js';
import { DEMO_OWNER_EMAIL } from '../services/staff/find-user.js';
import { projectPath } from './paths.js';

export const DEMO_SITE_KEY = 'pk_demo';

/** The shop's Q/A (Bitext customer-support sample, CDLA-Sharing-1.0; see data/README.md). */
export const DEMO_KNOWLEDGE_FILE = projectPath('data', 'bitext_cs_4514.jsonl');

/**
 * The demo business. Placeholders fill the `{{…}}` slots of the Bitext answers that name a contact
 * detail; the rest ("{{Order History}}") read as their own name, the label of a page or button.
 */
export function demoSite(allowedOrigins: string[]): CreateSiteRequest {
  return {
    name: 'Demo Shop',
    publicKey: DEMO_SITE_KEY,
    allowedOrigins,
    greeting: "Hi! I'm the Demo Shop assistant. Ask me about orders, delivery, returns, refunds or your account.",
    persona:
      'You are the support assistant of Demo Shop, an online store. Answer from the shop help articles, ' +
      'briefly and politely; when they do not cover the question, say so and offer a human agent.',
    theme: { accent: '#0f766e', position: 'right' },
    locale: 'en',
    compareRate: 0.2,
    placeholders: {
      'Website Name': 'Demo Shop',
      'Company Name': 'Demo Shop',
      'Website URL': 'demoshop.example',
      'Customer Support Phone Number': '+1 555 0100',
      'Customer Service Phone Number': '+1 555 0100',
      'Support Phone Number': '+1 555 0100',
      'Customer Support Email': 'help@demoshop.example',
      'Customer Support Email Address': 'help@demoshop.example',
      'Customer Service Email': 'help@demoshop.example',
      'Support Email': 'help@demoshop.example',
      'Live Chat': 'live chat',
      'Customer Support Availability': '9am–5pm, Monday to Friday',
      'Customer Support Hours': '9am–5pm, Monday to Friday',
      'Customer Service Hours': '9am–5pm, Monday to Friday',
      'Operating Hours': '9am–5pm, Monday to Friday',
      // Bitext anonymised the ids its visitors typed; the demo shows where a real id would go.
      'Order Number Anonymized': '(your order number)',
      'Order ID Anonymized': '(your order number)',
      'Purchase ID Anonymized': '(your order number)',
      'Purchase Number Anonymized': '(your order number)',
      'Invoice Number Anonymized': '(your invoice number)',
      'Bill Number Anonymized': '(your invoice number)',
    },
  };
}

export interface DemoSeedResult {
  site: Pick<Site, 'id' | 'publicKey' | 'name'>;
  /** `password` is undefined when the account existed but `demo-owner.json` was lost. */
  owner: { email: string; password?: string; credentialsFile: string };
  created: { owner: boolean; site: boolean; knowledgeEntries: number };
}

/**
 * Seeds the demo shop: an owner account (password generated once, kept in `${dataDir}/demo-owner.json`),
 * the `pk_demo` site allowing the demo page's origins, and its knowledge base. Idempotent: everything
 * is looked up first (the site by its public key), so a second start adds nothing.
 */
export async function seedDemo({
  db,
  dataDir,
  demoOrigins,
  knowledgeFile = DEMO_KNOWLEDGE_FILE,
}: {
  db: Db;
  dataDir: string;
  demoOrigins: string[];
  knowledgeFile?: string;
}): Promise<DemoSeedResult> {
  const credentialsFile = path.resolve(dataDir, 'demo-owner.json');
  const owner = await ensureOwner(db, credentialsFile);
  const site = await ensureSite(db, owner.id, demoOrigins);

  // Knowledge is imported once, into an empty base; staff edits made later are left alone.
  const [{ n }] = await db.select({ n: count() }).from(knowledgeEntries).where(eq(knowledgeEntries.siteId, site.id));
  let added = 0;
  if (n === 0) {
    let body: string;
    try {
      body = await readFile(knowledgeFile, 'utf8');
    } catch (err) {
      throw new Error(`demo knowledge ${knowledgeFile} is missing (${(err as NodeJS.ErrnoException).code}): restore data/ from the repository`);
    }
    const entries = parseKnowledge(body, 'application/x-ndjson');
    ({ added } = await importKnowledge({ db, siteId: site.id, entries, actorUserId: owner.id }));
  }
  return {
    site: { id: site.id, publicKey: site.publicKey, name: site.name },
    owner: { email: DEMO_OWNER_EMAIL, password: owner.password, credentialsFile },
    created: { owner: owner.created, site: site.created, knowledgeEntries: added },
  };
}

async function ensureOwner(db: Db, file: string): Promise<{ id: string; password?: string; created: boolean }> {
  const saved = await readCredentials(file);
  const existing = await findUser(db);
  if (existing) return { id: existing.id, password: saved?.password, created: false };
  const credentials = saved ?? { email: DEMO_OWNER_EMAIL, password: randomBytes(12).toString('base64url') };
  try {
    const user = await createOwner({ db, input: { email: DEMO_OWNER_EMAIL, password: credentials.password } });
    if (!saved) await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    return { id: user.id, password: credentials.password, created: true };
  } catch (err) {
    // Another process seeding at the same moment created it first.
    const raced = err instanceof AppError && err.status === 409 ? await findUser(db) : undefined;
    if (!raced) throw err;
    return { id: raced.id, password: (await readCredentials(file))?.password, created: false };
  }
}

async function ensureSite(db: Db, ownerUserId: string, origins: string[]): Promise<Site & { created: boolean }> {
  const existing = await findSite(db);
  if (existing) {
    // A changed DEMO_PORT moves the demo page to another origin: allow it too (nothing else changes).
    const missing = origins.filter((o) => !existing.allowedOrigins.includes(o) && !existing.allowedOrigins.includes('*'));
    if (missing.length === 0) return { ...existing, created: false };
    const updated = await updateSite({
      db,
      siteId: existing.id,
      actorUserId: ownerUserId,
      input: { allowedOrigins: [...existing.allowedOrigins, ...missing] },
    });
    return { ...updated, created: false };
  }
  try {
    return { ...(await createSite({ db, input: demoSite(origins), ownerUserId })), created: true };
  } catch (err) {
    const raced = err instanceof AppError && err.status === 409 ? await findSite(db) : undefined;
    if (!raced) throw err;
    return { ...raced, created: false };
  }
}

const findUser = async (db: Db) =>
  (await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.email, DEMO_OWNER_EMAIL)))[0];

const findSite = async (db: Db) => (await db.select().from(sites).where(eq(sites.publicKey, DEMO_SITE_KEY)))[0];

async function readCredentials(file: string): Promise<{ email: string; password: string } | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as { email?: unknown; password?: unknown };
    if (typeof parsed.password === 'string' && parsed.password.length >= 8) {
      return { email: DEMO_OWNER_EMAIL, password: parsed.password };
    }
  } catch {
    // fall through to the error below
  }
  throw new Error(`${file} is not {"email","password"}: delete it (and the demo owner) or fix it`);
}
