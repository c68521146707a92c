/**
 * Retrieval relevance on real data: the demo shop's knowledge base (Bitext) is indexed without a
 * held-out share of its questions; those held-out questions must be answered (in scope) with an entry of
 * the right intent, and BANKING77 questions (a bank's customers asking a shop) must get the "I can't
 * answer, talk to a human" reply. Sweeps the coverage threshold and prints the figures for each.
 *   npm run bench -- retrieval
 */
import { readFileSync } from 'node:fs';
import { KnowledgeIndex } from '../assistant/retrieval/index.js';
import { DEFAULT_RETRIEVAL } from '../assistant/retrieval/responder.js';

const bitext = readFileSync(new URL('../data/bitext_cs_4514.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l, i) => {
    const r = JSON.parse(l) as { instruction: string; response: string; intent: string };
    return { id: String(i), question: r.instruction, answer: r.response, intent: r.intent };
  });
const banking = readFileSync(new URL('../data/banking77_test.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => (l.startsWith('"') ? l.slice(1, l.lastIndexOf('"')) : l.slice(0, l.lastIndexOf(','))));

// Deterministic 10% hold-out (every 10th entry): its questions are asked, never indexed.
const heldOut = bitext.filter((_, i) => i % 10 === 0);
const indexed = bitext.filter((_, i) => i % 10 !== 0);
const index = new KnowledgeIndex(indexed);
const intentOf = new Map(indexed.map((p) => [p.id, p.intent]));

const inScope = heldOut.map((q) => ({ top: index.top(q.question, 1)[0], intent: q.intent }));
const outScope = banking.map((q) => index.top(q, 1)[0]);

const rows = [0.3, 0.4, 0.5, 0.6, 0.7].map((threshold) => {
  const answered = inScope.filter((r) => r.top && r.top.coverage >= threshold);
  const right = answered.filter((r) => intentOf.get(r.top!.passage.id) === r.intent).length;
  const refused = outScope.filter((h) => !h || h.coverage < threshold).length;
  return {
    threshold,
    inScopeAnswered: +(answered.length / inScope.length).toFixed(3),
    inScopeIntentAcc: +(right / inScope.length).toFixed(3),
    outOfScopeRefused: +(refused / outScope.length).toFixed(3),
  };
});
for (const r of rows) console.log(JSON.stringify(r));
const chosen = rows.find((r) => r.threshold === DEFAULT_RETRIEVAL.minCoverage) ?? rows[2];
console.log(`BENCH retrieval ${JSON.stringify({ ...chosen, nInScope: inScope.length, nOutOfScope: outScope.length })}`);
