import { describe, expect, it } from 'vitest';
import { type BitextEntry, DEFAULT_SPLIT, groupKey, loadBitext, splitBitext } from './split.js';

const bitext = loadBitext();

describe('groupKey', () => {
  it('puts paraphrases that differ in order numbers, word order, inflection and stopwords together', () => {
    const a = groupKey('cancel_order', 'how can I cancel purchase 113542617735902?');
    expect(groupKey('cancel_order', 'I have got to cancel purchase 732201349959')).toBe(a);
    expect(groupKey('cancel_order', 'canceling purchase 00004587345')).toBe(a);
    expect(groupKey('cancel_order', 'Purchase 1234, cancel it')).toBe(a);
    expect(groupKey('cancel_order', 'cancel my order 1234')).not.toBe(a);
    expect(groupKey('get_refund', 'how can I cancel purchase 1')).not.toBe(a);
  });
});

describe('splitBitext', () => {
  const split = splitBitext(bitext);

  it('holds out about a tenth of the entries, and no paraphrase group straddles the split', () => {
    expect(split.train.length + split.heldOut.length).toBe(bitext.length);
    expect(split.heldOut.length / bitext.length).toBeGreaterThan(0.07);
    expect(split.heldOut.length / bitext.length).toBeLessThan(0.13);
    const trainGroups = new Set(split.train.map((e) => split.groupOf.get(e.id)));
    expect(split.heldOut.filter((e) => trainGroups.has(split.groupOf.get(e.id)))).toEqual([]);
    // nor does a held-out question appear verbatim among the training questions
    const trainQuestions = new Set(split.train.map((e) => e.question.trim().toLowerCase()));
    expect(split.heldOut.filter((e) => trainQuestions.has(e.question.trim().toLowerCase()))).toEqual([]);
  });

  it('has every intent on both sides', () => {
    const intents = new Set(bitext.map((e) => e.intent));
    expect(intents.size).toBe(27);
    expect(new Set(split.train.map((e) => e.intent))).toEqual(intents);
    expect(new Set(split.heldOut.map((e) => e.intent))).toEqual(intents);
  });

  it('is deterministic, independent of the input order, and changes with the salt', () => {
    const again = splitBitext([...bitext].reverse());
    expect(again.definition.heldOutSha256).toBe(split.definition.heldOutSha256);
    expect(new Set(again.heldOut.map((e) => e.id))).toEqual(new Set(split.heldOut.map((e) => e.id)));
    const other = splitBitext(bitext, { ...DEFAULT_SPLIT, salt: 'another' });
    expect(other.definition.heldOutSha256).not.toBe(split.definition.heldOutSha256);
  });

  it('refuses an intent with a single group, which could not be on both sides', () => {
    const lone: BitextEntry[] = [
      { id: '0', question: 'cancel order 1', answer: 'a', intent: 'cancel_order' },
      { id: '1', question: 'cancel order 2', answer: 'b', intent: 'cancel_order' },
    ];
    expect(() => splitBitext(lone)).toThrow(/single paraphrase group/);
  });
});
