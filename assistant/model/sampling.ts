/**
 * Picking the next token from one row of logits, in plain JS: a row is V floats (2–50k), cheap next to
 * the forward pass, and a tensor round trip per row would cost more than it saves.
 */

export interface SampleOptions {
  /** Softmax temperature; 0 = greedy (argmax). Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens (0 or undefined = all). */
  topK?: number;
  /** Nucleus sampling: keep the smallest set of most likely tokens whose probability reaches p (1 = all). */
  topP?: number;
}

/** Index of the largest value; the first one on ties. */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

export { seededRandom } from '../random.js';

export function checkSampleOptions({ temperature = 1, topK = 0, topP = 1 }: SampleOptions): void {
  if (!(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new Error(`temperature ${temperature}: use 0 (greedy) or a positive number`);
  }
  if (!Number.isInteger(topK) || topK < 0) throw new Error(`topK ${topK}: use a whole number ≥ 1, or 0 for all`);
  if (!(topP > 0 && topP <= 1)) throw new Error(`topP ${topP}: use a probability in (0, 1]`);
}

/**
 * Samples a token id from logits (unnormalized log-probs). Temperature 0 is greedy. top-k and top-p
 * filter the candidates in order of likelihood (ties: lower id first), so topK = 1 is greedy too.
 */
export function sampleToken(logits: ArrayLike<number>, options: SampleOptions, random: () => number): number {
  const { temperature = 1, topK = 0, topP = 1 } = options;
  const V = logits.length;
  if (temperature === 0 || topK === 1) return argmax(logits);
  let ids: number[];
  if ((topK > 0 && topK < V) || topP < 1) {
    ids = Array.from({ length: V }, (_, i) => i).sort((a, b) => logits[b] - logits[a] || a - b);
    if (topK > 0) ids.length = Math.min(topK, V);
  } else {
    ids = Array.from({ length: V }, (_, i) => i);
  }
  let max = -Infinity;
  for (const i of ids) max = Math.max(max, logits[i]);
  const probs = ids.map((i) => Math.exp((logits[i] - max) / temperature));
  let total = probs.reduce((s, p) => s + p, 0);
  if (topP < 1) {
    // ids are sorted by likelihood here: keep the shortest prefix whose mass reaches topP.
    let cum = 0;
    let keep = 0;
    while (keep < probs.length && cum < topP * total) cum += probs[keep++];
    probs.length = Math.max(1, keep);
    ids.length = probs.length;
    total = probs.reduce((s, p) => s + p, 0);
  }
  let r = random() * total;
  for (let j = 0; j < ids.length; j++) {
    r -= probs[j];
    if (r < 0) return ids[j];
  }
  return ids[ids.length - 1]; // rounding left r ≥ 0 after the last candidate
}
