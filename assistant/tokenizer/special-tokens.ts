/**
 * Control tokens of the chat format. They take ids 256, 257, … right after the byte tokens, so their
 * ids do not depend on the corpus or on how many merges were learned.
 */
export const DEFAULT_SPECIAL_TOKENS: readonly string[] = ['<|system|>', '<|context|>', '<|user|>', '<|assistant|>', '<|end|>', '<|pad|>'];

/** Throws a message a person can act on when `tokens` are not usable as special tokens. */
export function checkSpecialTokens(tokens: readonly string[]): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.length === 0) throw new Error('special tokens: the empty string cannot be a special token; remove it');
    if (seen.has(token)) throw new Error(`special tokens: ${JSON.stringify(token)} is listed twice; list each once`);
    seen.add(token);
  }
}

/** A piece of text, or a special token found in it. */
export type Piece = { text: string; special?: undefined } | { special: string; text?: undefined };

/** One regex matching any of `tokens`, longest first where two start at the same place; null if none. */
export function specialTokenPattern(tokens: readonly string[]): RegExp | null {
  if (tokens.length === 0) return null;
  const alternatives = [...tokens].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(alternatives.join('|'), 'g');
}

/**
 * Splits `text` at every occurrence of a special token's literal text (`pattern` from
 * `specialTokenPattern`). Only `encode(text, { allowSpecial: true })` calls this: visitor text must
 * not be able to produce a control token by typing its name.
 */
export function splitOnSpecials(text: string, pattern: RegExp | null): Piece[] {
  if (!pattern) return [{ text }];
  const pieces: Piece[] = [];
  let start = 0;
  // matchAll clones the regex, so the shared pattern's `lastIndex` is never touched.
  for (const match of text.matchAll(pattern)) {
    if (match.index > start) pieces.push({ text: text.slice(start, match.index) });
    pieces.push({ special: match[0] });
    start = match.index + match[0].length;
  }
  if (start < text.length) pieces.push({ text: text.slice(start) });
  return pieces;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
