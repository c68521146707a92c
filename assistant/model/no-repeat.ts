import type { LogitsProcessor } from './copy-bias.js';

/**
 * Never repeats an n-gram of the answer (Hugging Face's `no_repeat_ngram_size`): when the last n−1
 * generated tokens occurred before, the token that followed them then is banned now. Small greedy
 * policies fall into loops ("5. If the cancellation is still pending. 5. If the cancellation…"); with n
 * around 8–12 tokens, short legitimate repeats ("1. ", "your order") stay possible.
 */
export function noRepeatNgram(n: number): LogitsProcessor {
  if (!Number.isInteger(n) || n < 2) throw new Error(`no-repeat n-gram size ${n}: use an integer ≥ 2`);
  return (generated, logits) => {
    const k = n - 1; // length of the prefix that must match
    const len = generated.length;
    if (len < n) return;
    outer: for (let start = 0; start + k < len; start++) {
      for (let j = 0; j < k; j++) if (generated[start + j] !== generated[len - k + j]) continue outer;
      const banned = generated[start + k]!;
      if (banned < logits.length) logits[banned] = -Infinity;
    }
  };
}

/** Runs processors in order on the same logits. */
export function chainProcessors(...processors: (LogitsProcessor | undefined)[]): LogitsProcessor | undefined {
  const list = processors.filter((p): p is LogitsProcessor => p !== undefined);
  if (list.length <= 1) return list[0];
  return (generated, logits) => {
    for (const p of list) p(generated, logits);
  };
}
