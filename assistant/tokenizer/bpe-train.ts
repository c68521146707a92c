import { utf8 } from './bytes.js';
import { PairHeap } from './heap.js';

/** A learned merge: the two token ids it joins. Merge `i` creates token id `firstId + i`. */
export type Merge = readonly [left: number, right: number];

export interface LearnMergesOptions {
  /** Id of the token the first merge creates (256 byte tokens + the special tokens before it). */
  firstId: number;
  /** Learn at most this many merges. */
  maxMerges: number;
  /** Stop when the most frequent pair occurs fewer times than this. */
  minFrequency: number;
}

/**
 * Byte-pair encoding training (Sennrich et al. 2016) on a word-count table: words are counted once,
 * then each step merges the most frequent adjacent pair everywhere. Pair counts are updated only for
 * the words that contain the merged pair (found through a pair → words index), and the best pair
 * comes from a lazy max-heap, so a step costs what it touches instead of a recount of the corpus.
 *
 * Ties go to the smallest (left, right) id pair, so training is deterministic. Within a word the pair
 * is replaced left to right ("aaa" with a+a → "X a"), the same order `BpeEncoder` applies merges in.
 */
export function learnMerges(wordCounts: ReadonlyMap<string, number>, options: LearnMergesOptions): Merge[] {
  const { firstId, maxMerges, minFrequency } = options;
  // Pair keys: left * keyBase + right, unique while every id < keyBase (exact below 2^53).
  const keyBase = firstId + maxMerges;
  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [word, count] of wordCounts) {
    const bytes = utf8(word);
    if (bytes.length < 2) continue; // nothing to merge
    words.push(Array.from(bytes));
    freqs.push(count);
  }

  // 1. Count every adjacent pair once and index which words hold it.
  const pairCounts = new Map<number, number>();
  const wordsWithPair = new Map<number, Set<number>>();
  for (let w = 0; w < words.length; w++) {
    const word = words[w];
    for (let i = 0; i + 1 < word.length; i++) {
      const key = word[i] * keyBase + word[i + 1];
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + freqs[w]);
      let holders = wordsWithPair.get(key);
      if (!holders) wordsWithPair.set(key, (holders = new Set()));
      holders.add(w);
    }
  }
  const heap = new PairHeap(); // (−count, key): most frequent first, then smallest pair
  for (const [key, count] of pairCounts) heap.push(-count, key);

  const merges: Merge[] = [];
  while (merges.length < maxMerges) {
    // 2. Pop the best pair whose heap count is current; re-queue entries whose count has dropped.
    let best = -1;
    let bestCount = 0;
    while (heap.size > 0) {
      const queued = -heap.peekPrimary();
      const key = heap.peekSecondary();
      heap.pop();
      const count = pairCounts.get(key) ?? 0;
      if (count === queued) {
        best = key;
        bestCount = count;
        break;
      }
      if (count > 0) heap.push(-count, key);
    }
    if (best < 0 || bestCount < minFrequency) break;

    // 3. Merge it in every word that holds it: remove the word's old pairs, add its new ones.
    const left = Math.floor(best / keyBase);
    const right = best % keyBase;
    const newId = firstId + merges.length;
    merges.push([left, right]);
    const grown = new Set<number>(); // only pairs with the new token can have gained count
    for (const w of wordsWithPair.get(best)!) {
      const word = words[w];
      const merged = mergeWord(word, left, right, newId);
      if (merged === word) continue; // an earlier merge already removed the pair from this word
      const freq = freqs[w];
      for (let i = 0; i + 1 < word.length; i++) {
        const key = word[i] * keyBase + word[i + 1];
        const count = pairCounts.get(key)! - freq;
        if (count === 0) pairCounts.delete(key);
        else pairCounts.set(key, count);
      }
      for (let i = 0; i + 1 < merged.length; i++) {
        const key = merged[i] * keyBase + merged[i + 1];
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + freq);
        if (merged[i] !== newId && merged[i + 1] !== newId) continue;
        grown.add(key);
        let holders = wordsWithPair.get(key);
        if (!holders) wordsWithPair.set(key, (holders = new Set()));
        holders.add(w);
      }
      words[w] = merged;
    }
    wordsWithPair.delete(best);
    // 4. Queue the new pairs at their (now final for this step) counts.
    for (const key of grown) {
      const count = pairCounts.get(key);
      if (count !== undefined) heap.push(-count, key);
    }
  }
  return merges;
}

/** `word` with each left-to-right occurrence of (left, right) replaced by `newId`; same array if none. */
export function mergeWord(word: readonly number[], left: number, right: number, newId: number): number[] {
  let i = 0;
  while (i + 1 < word.length && !(word[i] === left && word[i + 1] === right)) i++;
  if (i + 1 >= word.length) return word as number[];
  const out = word.slice(0, i);
  while (i < word.length) {
    if (i + 1 < word.length && word[i] === left && word[i + 1] === right) {
      out.push(newId);
      i += 2;
    } else {
      out.push(word[i]);
      i += 1;
    }
  }
  return out;
}
