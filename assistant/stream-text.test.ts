import { describe, expect, it } from 'vitest';
import { streamText } from './stream-text.js';

const all = async (it: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('streamText', () => {
  it('yields word pieces whose concatenation is the exact text', async () => {
    const text = '  Hello,  world!\n\n1. **one**\n';
    const pieces = await all(streamText(text));
    expect(pieces.join('')).toBe(text);
    expect(pieces.length).toBe(5);
  });
  it('stops when aborted', async () => {
    const ctrl = new AbortController();
    const out: string[] = [];
    for await (const p of streamText('a b c d e', ctrl.signal)) {
      out.push(p);
      if (out.length === 2) ctrl.abort();
    }
    expect(out).toEqual(['a', ' b']);
  });
});
