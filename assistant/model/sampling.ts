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
 *
 * Only candidates that can matter are sorted: top-k's k (found by selection first) and, for top-p,
 * those above a logit bound that provably holds the nucleus. Sorting the whole vocabulary with a
 * comparator took ~2 ms per token for 2k ids, more than a decoding step on the native path.
 */
export function sampleToken(logits: ArrayLike<number>, options: SampleOptions, random: () => number): number {
  const { temperature = 1, topK = 0, topP = 1 } = options;
  const V = logits.length;
  if (temperature === 0 || topK === 1) return argmax(logits);
  const byK = topK > 0 && topK < V;
  // 1. candidates: the topK likeliest in order of likelihood, or every id in id order
  let ids: Uint32Array = byK ? likeliest(logits, kthLargest(logits, topK)).subarray(0, topK) : allIds(V);
  let max = -Infinity;
  for (let j = 0; j < ids.length; j++) max = Math.max(max, logits[ids[j]!]!);
  const w = weights(V); // w[id]: unnormalized probability of candidate id
  let total = 0;
  for (let j = 0; j < ids.length; j++) {
    const id = ids[j]!;
    total += w[id] = Math.exp((logits[id]! - max) / temperature);
  }
  // 2. top-p: the shortest prefix in order of likelihood whose mass reaches topP·total
  if (topP < 1) {
    const target = topP * total;
    const nucleus = (order: Uint32Array): number => {
      let cum = 0;
      let keep = 0;
      while (keep < order.length && cum < target) cum += w[order[keep++]!]!;
      return cum < target && order.length < ids.length ? -1 : keep; // -1: order is too short
    };
    // Candidates under `bound` each weigh < (1 - topP)·total / n, so all of them together less than
    // (1 - topP)·total: the nucleus lies among those at or above it.
    let order = byK ? ids : likeliest(logits, max + temperature * Math.log(((1 - topP) * total) / ids.length));
    let keep = nucleus(order);
    if (keep < 0) keep = nucleus((order = likeliest(logits, -Infinity))); // rounding: sort them all
    ids = order.subarray(0, Math.max(1, keep));
    total = 0;
    for (let j = 0; j < ids.length; j++) total += w[ids[j]!]!;
  }
  // 3. draw
  let r = random() * total;
  for (let j = 0; j < ids.length; j++) {
    r -= w[ids[j]!]!;
    if (r < 0) return ids[j]!;
  }
  return ids[ids.length - 1]!; // rounding left r ≥ 0 after the last candidate
}

let weightsScratch = new Float64Array(0);
/** A reused array of V floats (entries are written before they are read). */
function weights(V: number): Float64Array {
  if (weightsScratch.length < V) weightsScratch = new Float64Array(V);
  return weightsScratch;
}

let ascendingIds = new Uint32Array(0);
/** 0..V-1 (a view of a shared array: read only). */
function allIds(V: number): Uint32Array {
  if (ascendingIds.length < V) ascendingIds = Uint32Array.from({ length: V }, (_, i) => i);
  return ascendingIds.subarray(0, V);
}

/** The k-th largest logit (k ≥ 1), by quickselect on a copy: O(V). NaN logits are skipped. */
function kthLargest(logits: ArrayLike<number>, k: number): number {
  const a = new Float64Array(logits.length);
  let n = 0;
  for (let i = 0; i < logits.length; i++) if (!Number.isNaN(logits[i])) a[n++] = logits[i]!;
  if (k > n) return -Infinity;
  let lo = 0;
  let hi = n - 1;
  const want = k - 1; // index in descending order
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else break;
  }
  return a[want]!;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * Ids whose logit is ≥ bound, by decreasing logit, ties by increasing id. Each id becomes one float64
 * key: the logit's float32 bits mapped to an unsigned integer that falls as the logit rises, times
 * 2^idBits, plus the id (exact: 32 + idBits ≤ 53 bits), so one numeric TypedArray sort orders them.
 */
function likeliest(logits: ArrayLike<number>, bound: number): Uint32Array {
  const V = logits.length;
  const idBits = Math.max(1, Math.ceil(Math.log2(V)));
  if (idBits > 21) throw new Error(`a vocabulary of ${V} ids is too large to sample from: at most 2^21`);
  const shift = 2 ** idBits;
  const keys = new Float64Array(V);
  let n = 0;
  for (let i = 0; i < V; i++) {
    const l = logits[i]!;
    if (!(l >= bound)) continue;
    f32[0] = l + 0; // -0 + 0 = +0: equal logits, equal keys
    const bits = u32[0]!;
    const rising = bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
    keys[n++] = (0xffffffff - rising) * shift + i;
  }
  const sorted = keys.subarray(0, n).sort();
  const ids = new Uint32Array(n);
  for (let j = 0; j < n; j++) ids[j] = sorted[j]! % shift;
  return ids;
}
