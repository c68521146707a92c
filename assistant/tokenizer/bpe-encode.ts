import { utf8 } from './bytes.js';
import type { Merge } from './bpe-train.js';
import { PairHeap } from './heap.js';

/** Words longer than this (in UTF-16 units) are not cached: they are rare and would bloat the cache. */
const MAX_CACHED_WORD = 64;
/** The cache is dropped when it reaches this many words, so visitor text cannot grow it forever. */
const MAX_CACHE_ENTRIES = 100_000;

/**
 * Applies learned merges to one pre-tokenized word. Merges are applied by rank (learn order) with a
 * min-heap of (rank, position) over a linked list of the word's tokens: O(n log n) for an n-byte word,
 * where the textbook "find the best pair, merge, repeat" loop is O(n²) on long runs such as 10 000
 * spaces. Taking equal ranks leftmost first gives exactly the tokens training produced, because a merge
 * only creates pairs with a later rank. Results are cached per word.
 */
export class BpeEncoder {
  private readonly ranks = new Map<number, number>();
  private readonly keyBase: number;
  private readonly cache = new Map<string, readonly number[]>();

  constructor(
    merges: readonly Merge[],
    private readonly firstId: number,
  ) {
    this.keyBase = firstId + merges.length;
    merges.forEach(([left, right], rank) => this.ranks.set(left * this.keyBase + right, rank));
  }

  /** Token ids of `word`. The returned array is shared with the cache: do not modify it. */
  encodeWord(word: string): readonly number[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    const ids = this.mergeBytes(utf8(word));
    if (word.length <= MAX_CACHED_WORD) {
      if (this.cache.size >= MAX_CACHE_ENTRIES) this.cache.clear();
      this.cache.set(word, ids);
    }
    return ids;
  }

  private rank(left: number, right: number): number | undefined {
    return this.ranks.get(left * this.keyBase + right);
  }

  private mergeBytes(bytes: Uint8Array): number[] {
    const n = bytes.length;
    if (n < 2) return Array.from(bytes);
    // Node i holds the token that starts at byte i; merged-away nodes get id −1.
    const ids = Int32Array.from(bytes);
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      next[i] = i + 1; // n: no next
      prev[i] = i - 1; // −1: no prev
    }
    const heap = new PairHeap(); // (rank, position of the pair's left node)
    for (let i = 0; i + 1 < n; i++) {
      const rank = this.rank(ids[i], ids[i + 1]);
      if (rank !== undefined) heap.push(rank, i);
    }
    while (heap.size > 0) {
      const rank = heap.peekPrimary();
      const i = heap.peekSecondary();
      heap.pop();
      // Stale entry: the left node was merged away, or either side has changed since it was queued.
      const j = next[i];
      if (ids[i] < 0 || j >= n || this.rank(ids[i], ids[j]) !== rank) continue;
      ids[i] = this.firstId + rank;
      ids[j] = -1;
      next[i] = next[j];
      if (next[i] < n) prev[next[i]] = i;
      const p = prev[i];
      if (p >= 0) {
        const before = this.rank(ids[p], ids[i]);
        if (before !== undefined) heap.push(before, p);
      }
      if (next[i] < n) {
        const after = this.rank(ids[i], ids[next[i]]);
        if (after !== undefined) heap.push(after, i);
      }
    }
    const out: number[] = [];
    for (let i = 0; i < n; i = next[i]) out.push(ids[i]);
    return out;
  }
}
