import { describe, expect, it } from 'vitest';
import { fillPlaceholders } from './placeholders.js';

describe('fillPlaceholders', () => {
  it('fills known slots and turns unknown ones into their names', () => {
    expect(fillPlaceholders('Call {{Customer Support Phone Number}} or open {{ Order History }}.', { 'Customer Support Phone Number': '555-0100' })).toBe(
      'Call 555-0100 or open Order History.',
    );
  });
  it('leaves text without slots and lone braces alone', () => {
    expect(fillPlaceholders('a {b} {{}} c', {})).toBe('a {b} {{}} c');
  });
});
