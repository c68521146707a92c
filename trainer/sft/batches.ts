/**
 * Batches of examples: a seeded shuffle per epoch, and padding to the longest example of the batch
 * (not to blockSize: Bitext prompts vary from ~60 to 500 tokens, so padding to the batch's own length
 * saves most of the compute on short ones).
 */
import { seededRandom } from '../../assistant/model/index.js';
import type { Example } from './examples.js';

/** Endless example indices in batches of `batchSize`, reshuffled (Fisher–Yates) every epoch. */
export class BatchSampler {
  private order: number[] = [];
  private pos = 0;
  private readonly random: () => number;

  constructor(
    private readonly size: number,
    private readonly batchSize: number,
    seed: number,
  ) {
    if (size < 1) throw new Error('BatchSampler needs at least one example');
    this.random = seededRandom(seed);
  }

  next(): number[] {
    const batch: number[] = [];
    while (batch.length < this.batchSize) {
      if (this.pos === this.order.length) this.shuffle();
      batch.push(this.order[this.pos++]!);
    }
    return batch;
  }

  private shuffle(): void {
    this.order = Array.from({ length: this.size }, (_, i) => i);
    for (let i = this.size - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [this.order[i], this.order[j]] = [this.order[j]!, this.order[i]!];
    }
    this.pos = 0;
  }
}

/** A batch as flat row-major arrays of shape [B,T], ready for tf.tensor2d. */
export interface Collated {
  B: number;
  T: number;
  /** Input ids: example ids[0 … n−2], then padding. */
  idx: Int32Array;
  /** Next-token targets: ids[1 … n−1], then padding. */
  targets: Int32Array;
  /** 1 where the target is an answer token, else 0 (prompt and padding). */
  mask: Float32Array;
}

/** Shifts each example into (input, target, mask) rows padded with `padId` to the longest in the batch. */
export function collate(examples: readonly Example[], padId: number): Collated {
  const B = examples.length;
  const T = Math.max(...examples.map((e) => e.ids.length - 1));
  const idx = new Int32Array(B * T).fill(padId);
  const targets = new Int32Array(B * T).fill(padId);
  const mask = new Float32Array(B * T);
  examples.forEach((e, b) => {
    for (let t = 0; t < e.ids.length - 1; t++) {
      idx[b * T + t] = e.ids[t]!;
      targets[b * T + t] = e.ids[t + 1]!;
      mask[b * T + t] = e.mask[t + 1]!;
    }
  });
  return { B, T, idx, targets, mask };
}
