import * as tf from '@tensorflow/tfjs';

/**
 * Keys and values of the tokens seen so far, per layer, each [B,nH,Tc,hs], for incremental decoding:
 * prefill the prompt in one forward, then feed one token per step and attend to the cached K/V.
 *
 * Grown by concat rather than preallocated: tfjs tensors are immutable, so writing one step into a
 * preallocated [B,nH,blockSize,hs] buffer (tensorScatterUpdate) copies the whole buffer anyway, and
 * attention would then run over blockSize keys with a mask instead of over Tc. A concat copies Tc·hs
 * floats per head and layer per step, small next to the step's matmuls at our context lengths.
 *
 * Left padding: row b's first `padLeft[b]` positions are padding; they are masked out of attention and
 * position ids start at 0 at the first real token, so a padded row decodes like the same row alone.
 *
 * Ownership: the cache owns its tensors (kept out of any tidy); call dispose() when done.
 *
 * The Decoder uses it where decoding runs as tfjs ops (wasm, tfjs-node, or `native: false`); on the cpu
 * backend with the native addon it keeps keys and values in NativeDecodeState's arrays instead.
 */
export class KvCache {
  private readonly keys: (tf.Tensor4D | undefined)[];
  private readonly values: (tf.Tensor4D | undefined)[];
  private cached = 0;
  readonly padLeft: readonly number[];

  constructor(
    readonly nLayer: number,
    readonly batch: number,
    padLeft?: readonly number[],
  ) {
    this.padLeft = padLeft ?? new Array<number>(batch).fill(0);
    if (this.padLeft.length !== batch) {
      throw new Error(`padLeft has ${this.padLeft.length} entries for a batch of ${batch}: give one per row`);
    }
    this.keys = new Array(nLayer).fill(undefined);
    this.values = new Array(nLayer).fill(undefined);
  }

  /** Number of positions already cached (the position offset of the next token). */
  get length(): number {
    return this.cached;
  }

  /**
   * Appends this step's K/V of one layer and returns the full K/V to attend over. Call inside a tidy:
   * the returned tensors are the cache's own (kept), the previous ones are released.
   */
  append(layer: number, k: tf.Tensor4D, v: tf.Tensor4D): { k: tf.Tensor4D; v: tf.Tensor4D } {
    const prevK = this.keys[layer];
    const prevV = this.values[layer];
    const kAll = tf.keep(prevK ? tf.concat([prevK, k], 2) : k.clone()); // [B,nH,Tc,hs] -> [B,nH,Tc+T,hs]
    const vAll = tf.keep(prevV ? tf.concat([prevV, v], 2) : v.clone()); // [B,nH,Tc,hs] -> [B,nH,Tc+T,hs]
    prevK?.dispose();
    prevV?.dispose();
    this.keys[layer] = kAll;
    this.values[layer] = vAll;
    return { k: kAll, v: vAll };
  }

  /** Records that a forward of `t` new positions has gone through every layer. */
  advance(t: number): void {
    this.cached += t;
  }

  dispose(): void {
    for (let i = 0; i < this.nLayer; i++) {
      this.keys[i]?.dispose();
      this.values[i]?.dispose();
      this.keys[i] = undefined;
      this.values[i] = undefined;
    }
    this.cached = 0;
  }
}
