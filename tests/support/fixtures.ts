import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../server/db/client.js';
import { knowledgeEntries, sites } from '../../server/db/schema.js';

export const ORIGIN = 'https://shop.example';

export const KNOWLEDGE = [
  { question: 'How do I cancel my order?', answer: 'Go to **Order History** on {{Website Name}} and press Cancel.', intent: 'cancel_order' },
  { question: 'Can I cancel a purchase I made yesterday?', answer: 'Yes: open {{Order History}}, pick the order, press Cancel.', intent: 'cancel_order' },
  { question: 'Where is my package? How can I track it?', answer: 'Track your order from the tracking link in your confirmation email.', intent: 'track_order' },
  { question: 'How do I get a refund for a return?', answer: 'Refunds reach your card within 5 business days of the return arriving.', intent: 'get_refund' },
  { question: 'I forgot my password, how do I reset it?', answer: 'Use "Forgot password" on the login page of {{Website Name}}.', intent: 'recover_password' },
];

/** A site with a small knowledge base, inserted directly (not through the admin API under test elsewhere). */
export async function seedSite(
  db: Db,
  opts: { allowedOrigins?: string[]; compareRate?: number; knowledge?: typeof KNOWLEDGE } = {},
) {
  const [site] = await db
    .insert(sites)
    .values({
      publicKey: `pk_test_${randomBytes(8).toString('hex')}`,
      name: 'Test Shop',
      allowedOrigins: opts.allowedOrigins ?? [ORIGIN],
      compareRate: opts.compareRate ?? 0,
      placeholders: { 'Website Name': 'Test Shop' },
      knowledgeVersion: 1,
    })
    .returning();
  const rows = (opts.knowledge ?? KNOWLEDGE).map((k) => ({
    siteId: site!.id,
    ...k,
    contentHash: createHash('sha256').update(`${k.question}\n${k.answer}`).digest('hex'),
  }));
  if (rows.length) await db.insert(knowledgeEntries).values(rows);
  return site!;
}
