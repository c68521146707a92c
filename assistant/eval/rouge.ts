/**
 * ROUGE-L (Lin 2004, "ROUGE: A Package for Automatic Evaluation of Summaries", §3.1): the longest common
 * subsequence of words between a candidate and a reference. Recall = LCS / |reference|, precision =
 * LCS / |candidate|, F1 = their harmonic mean (β = 1). Words are lower-cased runs of letters and digits,
 * so punctuation and spacing do not count. Written here because the well-known packages are Python
 * (rouge-score) and this is twenty lines.
 */

export interface RougeL {
  precision: number;
  recall: number;
  f1: number;
}

export function rougeWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Length of the longest common subsequence of two word lists: O(|a|·|b|) time, O(|b|) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Uint32Array(b.length + 1);
  let row = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      row[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    }
    [prev, row] = [row, prev];
  }
  return prev[b.length]!;
}

/** ROUGE-L of `candidate` against `reference`; 0 when either has no words. */
export function rougeL(candidate: string, reference: string): RougeL {
  const c = rougeWords(candidate);
  const r = rougeWords(reference);
  const lcs = lcsLength(c, r);
  if (lcs === 0) return { precision: 0, recall: 0, f1: 0 };
  const precision = lcs / c.length;
  const recall = lcs / r.length;
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}
