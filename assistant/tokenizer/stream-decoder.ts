import { utf8Decoder } from './bytes.js';
import type { Tokenizer } from './tokenizer.js';

/**
 * Turns ids into text as a model generates them. A token may end in the middle of a UTF-8 character
 * (byte-level BPE splits emoji and CJK characters freely); those bytes are held back until the
 * character is complete, so the text sent to a visitor never shows a broken "�" that later becomes
 * a real character. The text pieces concatenate to exactly `tokenizer.decode(allIds)`.
 */
export class StreamDecoder {
  // TextDecoder's streaming mode is the well-kept implementation of "hold back an unfinished character".
  private readonly decoder = utf8Decoder();

  constructor(private readonly tokenizer: Tokenizer) {}

  /** Adds generated ids; returns the text they complete (possibly ''). */
  push(ids: number | Iterable<number>): string {
    let text = '';
    for (const id of typeof ids === 'number' ? [ids] : ids) {
      text += this.decoder.decode(this.tokenizer.tokenBytes(id), { stream: true });
    }
    return text;
  }

  /** Ends the stream: returns what is held back (an unfinished character becomes U+FFFD) and resets. */
  end(): string {
    return this.decoder.decode();
  }
}
