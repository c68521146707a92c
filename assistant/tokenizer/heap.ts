/**
 * A binary min-heap of (primary, secondary) number pairs, ordered lexicographically. Training keys it
 * by (−count, pair) and encoding by (rank, position); both discard stale entries when they pop them
 * (lazy deletion), which is cheaper than a decrease-key heap for these access patterns.
 */
export class PairHeap {
  private primary: number[] = [];
  private secondary: number[] = [];

  get size(): number {
    return this.primary.length;
  }

  push(primary: number, secondary: number): void {
    this.primary.push(primary);
    this.secondary.push(secondary);
    this.up(this.primary.length - 1);
  }

  /** The smallest entry's primary value; call only when `size > 0`. */
  peekPrimary(): number {
    return this.primary[0];
  }

  /** The smallest entry's secondary value; call only when `size > 0`. */
  peekSecondary(): number {
    return this.secondary[0];
  }

  /** Removes the smallest entry; read it first with `peekPrimary`/`peekSecondary`. */
  pop(): void {
    const lastP = this.primary.pop()!;
    const lastS = this.secondary.pop()!;
    if (this.primary.length === 0) return;
    this.primary[0] = lastP;
    this.secondary[0] = lastS;
    this.down(0);
  }

  private less(i: number, j: number): boolean {
    const p = this.primary;
    return p[i] < p[j] || (p[i] === p[j] && this.secondary[i] < this.secondary[j]);
  }

  private swap(i: number, j: number): void {
    const p = this.primary;
    const s = this.secondary;
    [p[i], p[j]] = [p[j], p[i]];
    [s[i], s[j]] = [s[j], s[i]];
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.primary.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
