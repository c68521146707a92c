/**
 * GPT-2's pre-tokenizer (Radford et al. 2019, `encoder.py`): text is cut into words — a contraction
 * suffix, a run of letters, of digits or of other symbols (each with at most one leading space), or a
 * run of whitespace — and BPE merges never cross a word boundary. That keeps " the" one token instead
 * of letting merges glue punctuation to words in every combination. The trailing-whitespace rule
 * `\s+(?!\S)` leaves the last space of a run to start the next word ("a   b" → "a", "  ", " b").
 *
 * Every character matches some alternative, so the words concatenate back to the input exactly.
 * Changing this pattern changes every encoding: bump `TOKENIZER_JSON_VERSION` when you do.
 */
export const PRETOKENIZE_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** The words of `text`, in order; `words(text).join('') === text`. */
export function words(text: string): string[] {
  // A global `match` starts at 0 and leaves `lastIndex` at 0, so sharing the regex is safe.
  return text.match(PRETOKENIZE_PATTERN) ?? [];
}

/** How often each word occurs in the corpus (training counts once, then merges on this table). */
export function countWords(corpus: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of corpus) {
    for (const word of words(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}
