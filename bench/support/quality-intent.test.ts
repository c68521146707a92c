import { describe, expect, it } from 'vitest';
import { AnswerIntentIndex } from './quality-intent.js';

describe('AnswerIntentIndex', () => {
  const index = new AnswerIntentIndex([
    { id: '1', answer: 'To cancel your order, open Order History and press Cancel Order.', intent: 'cancel_order' },
    { id: '2', answer: 'Refunds reach your card within 5 business days after we receive the return.', intent: 'get_refund' },
    { id: '3', answer: 'Track your parcel with the tracking link in the shipping email.', intent: 'track_order' },
  ]);

  it('gives the intent of the answer nearest to a text, even a garbled one', () => {
    expect(index.intentOfText('you can cancel the order from order history, press cancel')).toBe('cancel_order');
    expect(index.intentOfText('refund refund card days receive')).toBe('get_refund');
    expect(index.intentOfText('the tracking link is in your email')).toBe('track_order');
  });

  it('gives null for a text that shares no word with any answer', () => {
    expect(index.intentOfText('zebra quantum')).toBeNull();
    expect(index.intentOfText('')).toBeNull();
  });
});
