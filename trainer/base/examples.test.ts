import { describe, expect, it } from 'vitest';
import { PromptFormat } from '../../assistant/prompt/format.js';
import { seededRandom } from '../../assistant/random.js';
import { KnowledgeIndex } from '../../assistant/retrieval/index.js';
import { train } from '../../assistant/tokenizer/index.js';
import { baseExample, choosePassages, planPassages } from './examples.js';
import { type BitextEntry, groupKey } from './split.js';

const entries: BitextEntry[] = [
  { id: '0', question: 'cancel order 123', answer: 'Press Cancel in Order History.', intent: 'cancel_order' },
  { id: '1', question: 'cancelling order 456', answer: 'Order History has a Cancel button.', intent: 'cancel_order' },
  { id: '2', question: 'help me cancel my purchase', answer: 'Cancel it from your purchases page.', intent: 'cancel_order' },
  { id: '3', question: 'how do I cancel an order quickly', answer: 'Go to orders and cancel.', intent: 'cancel_order' },
  { id: '4', question: 'track my order', answer: 'Use the tracking link.', intent: 'track_order' },
];
const byId = new Map(entries.map((e) => [e.id, e]));
const groupOf = new Map(entries.map((e) => [e.id, groupKey(e.intent, e.question)]));
const index = new KnowledgeIndex(entries);

describe('planPassages', () => {
  it('never offers an entry of the question’s own paraphrase group (leave-group-out, as at test time)', () => {
    const plans = planPassages(entries, index, byId, groupOf, 2);
    // entries 0 and 1 are one group ("cancel order"): neither sees itself or the other
    expect(plans[0]!.others.map((p) => p.id)).not.toContain('0');
    expect(plans[0]!.others.map((p) => p.id)).not.toContain('1');
    expect(plans[1]!.others.map((p) => p.id)).not.toContain('0');
    expect(plans[0]!.others.length).toBe(2);
    for (const [i, plan] of plans.entries()) {
      for (const p of plan.others) expect(groupOf.get(p.id)).not.toBe(groupOf.get(entries[i]!.id));
    }
  });
});

describe('choosePassages', () => {
  const plan = { others: [entries[2]!, entries[3]!] };

  it('puts the own entry in at every rank sometimes, and leaves it out otherwise', () => {
    const random = seededRandom(7);
    const ranks = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const passages = choosePassages(entries[0]!, plan, 2, 0.3, random);
      expect(passages).toHaveLength(2);
      const rank = passages.indexOf(entries[0]!);
      ranks.set(rank, (ranks.get(rank) ?? 0) + 1);
    }
    expect(ranks.get(-1)! / 2000).toBeCloseTo(0.7, 1);
    expect(ranks.get(0)! / 2000).toBeCloseTo(0.15, 1);
    expect(ranks.get(1)! / 2000).toBeCloseTo(0.15, 1);
  });

  it('with rate 0 gives exactly the planned passages, and with no plan the own entry at most', () => {
    expect(choosePassages(entries[0]!, plan, 2, 0, seededRandom(1))).toEqual(plan.others);
    expect(choosePassages(entries[0]!, { others: [] }, 2, 1, seededRandom(1))).toEqual([entries[0]]);
    expect(choosePassages(entries[0]!, plan, 0, 1, seededRandom(1))).toEqual([]);
  });
});

describe('baseExample', () => {
  it('is the serving layout with the loss on the own answer only', () => {
    const tok = train(entries.flatMap((e) => [e.question, e.answer]), { vocabSize: 320 });
    const format = new PromptFormat(tok);
    const ex = baseExample(format, 'Be kind.', entries[0]!, [entries[2]!], 200);
    const answerStart = ex.mask.indexOf(1);
    expect(tok.decode(ex.ids.slice(answerStart, -1))).toBe(entries[0]!.answer);
    expect(ex.ids[ex.ids.length - 1]).toBe(format.end);
    const prompt = format.prompt({ persona: 'Be kind.', passages: [entries[2]!], history: [], question: entries[0]!.question }, 200);
    expect(ex.ids.slice(0, answerStart)).toEqual(prompt);
  });
});
