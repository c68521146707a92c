import { describe, expect, it } from 'vitest';
import { PromptFormat } from '../../assistant/prompt/format.js';
import { KnowledgeIndex } from '../../assistant/retrieval/index.js';
import { train } from '../../assistant/tokenizer/index.js';
import { buildExamples, corpusOf, fromKnowledge, fromSftLine } from './examples.js';

const KB = [
  { id: 'k1', question: 'How do I cancel my order?', answer: 'Open Order History and press Cancel.' },
  { id: 'k2', question: 'Where is my parcel?', answer: 'Use the tracking link in your email.' },
];

describe('fromSftLine', () => {
  it('takes the last visitor turn as the question and the turns before it as history', () => {
    const source = fromSftLine({
      prompt: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'refund?' },
      ],
      completion: [{ role: 'assistant', content: 'Refunds take 5 days.' }],
    });
    expect(source).toEqual({
      question: 'refund?',
      history: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'Hello!' },
      ],
      answer: 'Refunds take 5 days.',
    });
  });

  it('skips lines without a visitor turn or without an answer', () => {
    expect(fromSftLine({ prompt: [{ role: 'assistant', content: 'Hi' }], completion: [{ role: 'assistant', content: 'x' }] })).toBeNull();
    expect(fromSftLine({ prompt: [{ role: 'user', content: 'q' }], completion: [{ role: 'assistant', content: '  ' }] })).toBeNull();
  });
});

describe('buildExamples', () => {
  const sources = fromKnowledge(KB);
  const tok = train(corpusOf(sources, 'Be brief.'), { vocabSize: 300 });
  const format = new PromptFormat(tok);
  const index = new KnowledgeIndex(KB);

  it('puts the retrieved passage (the entry itself) in the prompt and masks the answer only', () => {
    const [ex] = buildExamples(sources, { format, index, persona: 'Be brief.', topKPassages: 1, blockSize: 256 });
    const text = tok.decode(ex!.ids);
    expect(text).toBe(
      '<|system|>Be brief.<|context|>Q: How do I cancel my order?\nA: Open Order History and press Cancel.' +
        '<|user|>How do I cancel my order?<|assistant|>Open Order History and press Cancel.<|end|>',
    );
    const answer = ex!.ids.filter((_, i) => ex!.mask[i] === 1);
    expect(tok.decode(answer)).toBe('Open Order History and press Cancel.<|end|>');
  });

  it('drops passages first when the budget is small, and never exceeds the context', () => {
    const [small] = buildExamples(sources, { format, index, persona: 'Be brief.', topKPassages: 2, blockSize: 40 });
    expect(tok.decode(small!.ids)).not.toContain('Q: ');
    expect(small!.ids.length).toBeLessThanOrEqual(41);
    for (const blockSize of [12, 20]) {
      const examples = buildExamples(sources, { format, index, persona: 'Be brief.', topKPassages: 0, blockSize });
      expect(examples.every((e) => e.ids.length <= blockSize + 1 && e.mask.length === e.ids.length)).toBe(true);
    }
    // A context too small for the prompt's own control tokens is refused with a clear error.
    expect(() => buildExamples(sources, { format, index, persona: 'Be brief.', topKPassages: 0, blockSize: 3 })).toThrow(/raise the context length/);
  });
});
