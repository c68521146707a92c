import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillPlaceholders } from '../placeholders.js';
import { PlaceholderStream } from './placeholder-stream.js';

const VALUES = { 'Website Name': 'Test Shop', 'Order History': 'My orders' };

function streamed(pieces: string[], values: Record<string, string> = VALUES): { out: string[]; text: string } {
  const s = new PlaceholderStream(values);
  const out = pieces.map((p) => s.push(p));
  out.push(s.end());
  return { out, text: out.join('') };
}

describe('PlaceholderStream', () => {
  it('fills a slot split across tokens', () => {
    const { out, text } = streamed(['Visit ', '{', '{Web', 'site Na', 'me}', '} and open ', '{{Order History}}', '.']);
    expect(text).toBe('Visit Test Shop and open My orders.');
    // Nothing of the slot leaks before it is complete, and the text before it is not held back.
    expect(out.slice(0, 5)).toEqual(['Visit ', '', '', '', '']);
    expect(out[5]).toBe('Test Shop and open ');
  });

  it('writes unknown slots as their name, like the retrieval answers', () => {
    expect(streamed(['Press {{Ca', 'ncel Button}}']).text).toBe('Press Cancel Button');
  });

  it('lets braces that are not slots through, and an unclosed slot at the end', () => {
    expect(streamed(['a { b } {', '} c {{x', '{y}}']).text).toBe(fillPlaceholders('a { b } {} c {{x{y}}', VALUES));
    expect(streamed(['see {{Web', 'site']).text).toBe('see {{Website');
  });

  it('does not stall on a runaway "{{"', () => {
    const s = new PlaceholderStream(VALUES);
    s.push('{{');
    expect(s.push('x'.repeat(100))).toBe(`{{${'x'.repeat(100)}`);
  });

  it('equals fillPlaceholders on the whole text for any split', () => {
    const alphabet = fc.constantFrom('{', '}', ' ', 'a', 'W', 'Website Name', 'Order History', '{{', '}}');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }), (parts, cuts) => {
        const text = parts.join('');
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...points, text.length].slice(1).map((end, i, ends) => text.slice(i ? ends[i - 1] : 0, end));
        expect(streamed(pieces).text).toBe(fillPlaceholders(text, VALUES));
      }),
      { numRuns: 500 },
    );
  });
});
