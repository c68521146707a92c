import { describe, expect, it } from 'vitest';
import { KnowledgeIndex } from './index.js';
import { OUT_OF_SCOPE, RetrievalResponder } from './responder.js';

const passages = [
  { id: '1', question: 'How do I cancel my order?', answer: 'Cancel it in {{Order History}}.' },
  { id: '2', question: 'Can I cancel an order after it shipped?', answer: 'Once shipped, return it instead.' },
  { id: '3', question: 'How long does delivery take?', answer: 'Delivery takes 3 days.' },
];
const responder = new RetrievalResponder(new KnowledgeIndex(passages), { version: 'kb-7', minScore: 0, minCoverage: 0.5 });
const input = (question: string) => ({ persona: '', placeholders: {}, history: [], question });
const text = async (tokens: AsyncIterable<string>) => {
  let s = '';
  for await (const t of tokens) s += t;
  return s;
};

describe('KnowledgeIndex', () => {
  it('ranks the passage sharing the rare words first, with full coverage', () => {
    const [best] = new KnowledgeIndex(passages).top('cancel my order please', 3);
    expect(best!.passage.id).toBe('1');
    expect(best!.coverage).toBe(1);
  });
  it('weighs unknown words heavily, so off-topic questions get low coverage', () => {
    const [best] = new KnowledgeIndex(passages).top('what is the mortgage rate for my order', 1);
    expect(best!.coverage).toBeLessThan(0.5);
  });
  it('finds typos fuzzily', () => {
    expect(new KnowledgeIndex(passages).top('how long does delivry take', 1)[0]!.passage.id).toBe('3');
  });
});

describe('RetrievalResponder', () => {
  it('answers with the best entry, placeholders filled, labelled with its version', async () => {
    const [draft] = await responder.draft(input('how do i cancel my order'), 1);
    expect(draft!.responder).toBe('retrieval');
    expect(draft!.modelVersion).toBe('kb-7');
    expect(await text(draft!.tokens)).toBe('Cancel it in Order History.');
  });
  it('offers two different answers for a comparison', async () => {
    const drafts = await responder.draft(input('cancel order'), 2);
    expect(drafts).toHaveLength(2);
    const [a, b] = await Promise.all(drafts.map((d) => text(d.tokens)));
    expect(a).not.toBe(b);
  });
  it('says it cannot answer (and offers a human) when nothing is relevant', async () => {
    const drafts = await responder.draft(input('what is the weather in Paris'), 2);
    expect(drafts).toHaveLength(1);
    expect(await text(drafts[0]!.tokens)).toBe(OUT_OF_SCOPE);
  });
});
