/**
 * Copy bias: a logits processor that nudges generation toward continuing a span of the retrieved
 * passages, the way a pointer-generator's copy distribution does (See et al. 2017), but applied at
 * decoding time with one knob. After each generated token it finds where the last `minMatch` tokens
 * (fewer at the start of the answer) occur in the sources and adds `bias` to the logit of the token that
 * follows each occurrence; before the first token it favours each source's first token. The model still writes: where it is confident
 * otherwise (a different intent, the end of the answer) it overrides the nudge. Give each source with
 * its end token appended, so that finishing a copy favours ending the answer there.
 *
 * Why: a small policy learns the shop's language quickly but copies the passage it was given only
 * loosely; the bias makes its answers follow the retrieved knowledge (bench/sft-quality measures it).
 */

export interface CopyBiasOptions {
  /**
   * Added to the logit of each token that continues a source span (0 = off). On the shipped base
   * (bench/sft-quality, 120 held-out questions): 0 → 0.62 intent accuracy, 3 → 0.80, 6 → 0.88 with
   * ROUGE-L up too, 10 → 0.92 but looping answers (ROUGE-L down); all 425: 6 → 0.887, 8 → 0.904 (0.896 with
   * ROUGE-L 0.351 once no-repeat.ts stops the loops).
   */
  bias: number;
  /**
   * Generated tokens that must match a source span before its next token is favoured (all of them while
   * fewer were generated). 4: short n-grams ("to the") recur in a passage and made copies jump back and
   * loop (ROUGE-L 0.30 at 2, 0.36 at 4, bias 6).
   */
  minMatch?: number;
}

/** Adds the copy bias to one row's logits, given the tokens generated so far. */
export type LogitsProcessor = (generated: readonly number[], logits: Float32Array) => void;

export function copyBias(sources: readonly (readonly number[])[], { bias, minMatch = 4 }: CopyBiasOptions): LogitsProcessor {
  if (!(bias >= 0) || !Number.isFinite(bias)) throw new Error(`copy bias ${bias}: use a finite number ≥ 0`);
  if (!Number.isInteger(minMatch) || minMatch < 1) throw new Error(`minMatch ${minMatch}: use an integer ≥ 1`);
  const spans = sources.filter((s) => s.length > 0);
  // n-gram of 1..minMatch tokens, joined ("n:id,id") -> the tokens that follow it somewhere in the sources
  const next = new Map<string, Set<number>>();
  for (const s of spans) {
    for (let n = 1; n <= minMatch; n++) {
      for (let j = n; j < s.length; j++) {
        const key = `${n}:${s.slice(j - n, j).join(',')}`;
        let set = next.get(key);
        if (!set) next.set(key, (set = new Set()));
        set.add(s[j]!);
      }
    }
  }
  const starts = new Set(spans.map((s) => s[0]!));
  return (generated, logits) => {
    if (bias === 0) return;
    const n = Math.min(minMatch, generated.length);
    const favoured = n === 0 ? starts : next.get(`${n}:${generated.slice(generated.length - n).join(',')}`);
    if (!favoured) return;
    for (const id of favoured) if (id < logits.length) logits[id]! += bias;
  };
}
