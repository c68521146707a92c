import { fillPlaceholders } from '../placeholders.js';

/** One whole `{{Name}}` slot at the start of the text (same grammar as fillPlaceholders). */
const SLOT_AT_START = /^\{\{\s*[^{}]+?\s*\}\}/;
/** Text that may still grow into a slot: `{{`, a name without braces, at most one closing brace. */
const MAYBE_SLOT = /^\{\{[^{}]*\}?$/;
/**
 * Longest slot held back while waiting for its `}}`. Placeholder names are a few words; a model that
 * writes `{{` and never closes it must not stall the stream, so past this length the text goes out as is.
 */
const MAX_SLOT = 64;

/**
 * Fills `{{Name}}` slots in text that arrives in pieces (generated tokens), where a slot may be split
 * anywhere: `"{{Web"`, `"site Na"`, `"me}}"`. Text that could still be the start of a slot is held back
 * until it is one (then replaced) or cannot be (then sent unchanged). For every split of a text the
 * pieces concatenate to `fillPlaceholders(text)` (slots up to MAX_SLOT characters).
 */
export class PlaceholderStream {
  private pending = '';

  constructor(private readonly values: Record<string, string>) {}

  /** Adds generated text; returns what can be shown now (possibly ''). */
  push(piece: string): string {
    this.pending += piece;
    let out = '';
    for (;;) {
      const at = this.pending.indexOf('{{');
      if (at === -1) {
        // A lone trailing "{" may become "{{" with the next piece.
        const keep = this.pending.endsWith('{') ? 1 : 0;
        out += this.pending.slice(0, this.pending.length - keep);
        this.pending = this.pending.slice(this.pending.length - keep);
        return out;
      }
      out += this.pending.slice(0, at);
      const rest = this.pending.slice(at);
      const slot = SLOT_AT_START.exec(rest);
      if (slot) {
        out += fillPlaceholders(slot[0], this.values);
        this.pending = rest.slice(slot[0].length);
      } else if (MAYBE_SLOT.test(rest) && rest.length <= MAX_SLOT) {
        this.pending = rest;
        return out;
      } else {
        out += '{'; // not a slot from here: let the next "{" try
        this.pending = rest.slice(1);
      }
    }
  }

  /** Ends the stream: what was held back, unchanged (an unclosed `{{…`). */
  end(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }
}
