import type * as tf from '@tensorflow/tfjs';
import type { NativeKernels } from '../tfjs/native/load.js';
import { cpuFloatsReader } from '../tfjs/host-arrays.js';
import type { Gpt } from './gpt.js';
import { LayerNorm } from './layer-norm.js';
import { MASKED } from './trunk.js';

/** One block's parameters as the cpu backend's arrays (fetched anew for every forward). */
interface BlockWeights {
  ln1g: Float32Array;
  ln1b: Float32Array;
  qkvW: Float32Array; // [C,3C]
  qkvB: Float32Array; // [3C]
  projW: Float32Array; // [C,C]
  projB: Float32Array;
  ln2g: Float32Array;
  ln2b: Float32Array;
  fcW: Float32Array; // [C,4C]
  fcB: Float32Array;
  mlpW: Float32Array; // [4C,C]
  mlpB: Float32Array;
}

/**
 * The decoding forward pass of a Gpt on plain Float32Arrays, with its own KV cache: the Decoder's fast
 * path on the cpu backend when the native addon is built.
 *
 * Why not tfjs ops: one decoding step of the reference model is ~160 tfjs kernels on tensors of a few
 * hundred floats, and tfjs's per-kernel work (engine bookkeeping, tidy scopes, output allocation)
 * cost more than the arithmetic — 1.4 ms per token, half PyTorch's speed. Here a step is ~20 native
 * calls (OpenBLAS products, softmax, tanh) and a few JavaScript loops over rows; no tensor is created.
 * It computes what GptTrunk.forward + Gpt.head compute, in the same order and precision (float32
 * products, the same additive mask), and the tests hold it to the tfjs path's logits and tokens.
 *
 * The cache holds each layer's keys and values as [B,nH,cap,hs] arrays that grow by doubling (up to
 * blockSize), so appending a position writes hs floats per head instead of copying the whole cache
 * (tfjs tensors are immutable: the tfjs cache concatenates every step).
 *
 * Left padding, position ids and masks follow KvCache: row b's first padLeft[b] positions are masked
 * out as keys, and its position ids start at 0 at its first real token.
 */
export class NativeDecodeState {
  private readonly keys: Float32Array[];
  private readonly values: Float32Array[];
  private cap = 0;
  private cached = 0;

  constructor(
    private readonly model: Gpt,
    private readonly native: NativeKernels,
    readonly batch: number,
    readonly padLeft: readonly number[],
  ) {
    if (padLeft.length !== batch) throw new Error(`padLeft has ${padLeft.length} entries for a batch of ${batch}: give one per row`);
    const { nLayer } = model.config;
    this.keys = new Array<Float32Array>(nLayer).fill(new Float32Array(0));
    this.values = new Array<Float32Array>(nLayer).fill(new Float32Array(0));
  }

  /** Positions already cached (the position offset of the next column). */
  get length(): number {
    return this.cached;
  }

  /** Releases the cache (plain arrays: nothing to free in tfjs). */
  dispose(): void {
    this.keys.fill(new Float32Array(0));
    this.values.fill(new Float32Array(0));
    this.cap = 0;
    this.cached = 0;
  }

  /**
   * Runs T new columns of token ids ([B·T] row-major), appends their keys and values to the cache and
   * returns the logits of the last column, [B·V] row-major.
   */
  forward(ids: Int32Array, T: number): Float32Array {
    const { batch: B, native } = this;
    const { nEmbd: C, nHead: nH, headSize: hs, blockSize, vocabSize: V, nLayer } = this.model.config;
    const offset = this.cached;
    const Tk = offset + T;
    if (ids.length !== B * T) throw new Error(`${ids.length} ids for ${B} rows × ${T} columns`);
    if (Tk > blockSize) throw new Error(`${Tk} positions exceed blockSize ${blockSize}: crop the context from the left`);
    this.reserve(Tk);
    const trunk = this.model.trunk;
    const read = cpuFloatsReader();

    // 1. token + position embeddings: x [B·T,C]
    const wte = read(trunk.wte); // [V,C]
    const wpe = read(trunk.wpe); // [blockSize,C]
    let x = buf('x', B * T * C);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const id = ids[b * T + t]!;
        const pos = Math.max(0, offset + t - this.padLeft[b]!);
        const row = (b * T + t) * C;
        for (let c = 0; c < C; c++) x[row + c] = wte[id * C + c]! + wpe[pos * C + c]!;
      }
    }
    // 2. the blocks; the last one needs its queries (and everything after attention) only for the last column
    let rows = T; // columns of x per row of the batch
    for (let layer = 0; layer < nLayer; layer++) {
      const w = this.blockWeights(layer, read);
      const Tq = layer === nLayer - 1 ? 1 : T;
      const h = this.layerNorm(x, B * rows, w.ln1g, w.ln1b, 'h'); // [B·T,C]
      const qkv = buf('qkv', B * T * 3 * C);
      native.gemm(h, w.qkvW, qkv, 1, 0, 0, B * T, 3 * C, C, 0, 0, w.qkvB); // [B·T,C] x [C,3C] -> [B·T,3C]
      const merged = this.attention(layer, qkv, T, Tq); // -> [B·Tq,C]
      const attnOut = buf('attnOut', B * Tq * C);
      native.gemm(merged, w.projW, attnOut, 1, 0, 0, B * Tq, C, C, 0, 0, w.projB); // [B·Tq,C] x [C,C] -> [B·Tq,C]
      // residual: x (its last Tq columns per row) + attention output -> [B·Tq,C]
      const x1 = buf(Tq === T ? 'x' : 'xLast', B * Tq * C);
      for (let b = 0; b < B; b++) {
        for (let q = 0; q < Tq; q++) {
          const src = (b * rows + rows - Tq + q) * C;
          const dst = (b * Tq + q) * C;
          for (let c = 0; c < C; c++) x1[dst + c] = x[src + c]! + attnOut[dst + c]!;
        }
      }
      x = x1;
      rows = Tq;
      const h2 = this.layerNorm(x, B * rows, w.ln2g, w.ln2b, 'h'); // [B·Tq,C]
      const fc = buf('fc', B * rows * 4 * C);
      native.gemm(h2, w.fcW, fc, 1, 0, 0, B * rows, 4 * C, C, 0, 0, w.fcB); // [B·Tq,C] x [C,4C] -> [B·Tq,4C]
      const act = this.gelu(fc);
      const mlp = buf('mlp', B * rows * C);
      native.gemm(act, w.mlpW, mlp, 1, 0, 0, B * rows, C, 4 * C, 0, 0, w.mlpB); // [B·Tq,4C] x [4C,C] -> [B·Tq,C]
      for (let i = 0; i < x.length; i++) x[i] = x[i]! + mlp[i]!;
    }
    this.cached = Tk;
    // 3. final LayerNorm and the tied head on the last column: [B,C] x [V,C]ᵀ -> [B,V]
    const last = this.layerNorm(x, B, read(trunk.lnF.gain), read(trunk.lnF.bias), 'h');
    const logits = new Float32Array(B * V);
    native.gemm(last, wte, logits, 1, 0, 0, B, V, C, 0, 1, null);
    return logits;
  }

  /**
   * Multi-head attention of the last Tq of T new columns over the cache plus the new columns: writes
   * the new keys and values into the cache, returns the heads merged, [B·Tq,C].
   */
  private attention(layer: number, qkv: Float32Array, T: number, Tq: number): Float32Array {
    const { batch: B, native, cap } = this;
    const { nEmbd: C, nHead: nH, headSize: hs } = this.model.config;
    const offset = this.cached;
    const Tk = offset + T;
    const K = this.keys[layer]!;
    const Vs = this.values[layer]!;
    const scale = Math.fround(1 / Math.sqrt(hs));
    // [B·T,3C] -> q [B,nH,Tq,hs] (scaled, as the tfjs path scales q), k and v into the cache [B,nH,cap,hs]
    const q = buf('q', B * nH * Tq * hs);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const row = (b * T + t) * 3 * C;
        const tq = t - (T - Tq);
        for (let head = 0; head < nH; head++) {
          const at = ((b * nH + head) * cap + offset + t) * hs;
          const kFrom = row + C + head * hs;
          const vFrom = row + 2 * C + head * hs;
          for (let i = 0; i < hs; i++) {
            K[at + i] = qkv[kFrom + i]!;
            Vs[at + i] = qkv[vFrom + i]!;
          }
          if (tq < 0) continue;
          const qAt = ((b * nH + head) * Tq + tq) * hs;
          for (let i = 0; i < hs; i++) q[qAt + i] = qkv[row + head * hs + i]! * scale;
        }
      }
    }
    // Queries in blocks of QUERY_BLOCK: a block attends to the keys up to its last query's position only,
    // which skips most of the causally masked half of a prefill's scores and bounds their memory.
    const merged = buf('merged', B * Tq * C);
    for (let q0 = 0; q0 < Tq; q0 += QUERY_BLOCK) {
      const qb = Math.min(QUERY_BLOCK, Tq - q0);
      const first = offset + T - Tq + q0; // position of the block's first query
      const keys = first + qb; // keys 0..keys-1 are visible to some query of the block
      // scores [B·nH,qb,keys] = q · kᵀ, one product per (row, head) over the cache's first `keys` positions
      const scores = buf('scores', B * nH * qb * keys);
      native.gemm(q.subarray(q0 * hs), K, scores, B * nH, Tq * hs, cap * hs, qb, keys, hs, 0, 1, null);
      // additive mask as in the tfjs path: left padding and, within the block, later positions
      for (let b = 0; b < B; b++) {
        const pad = Math.min(this.padLeft[b]!, keys);
        for (let head = 0; head < nH; head++) {
          for (let i = 0; i < qb; i++) {
            const s = ((b * nH + head) * qb + i) * keys;
            for (let j = 0; j < pad; j++) scores[s + j] = scores[s + j]! + MASKED;
            for (let j = first + i + 1; j < keys; j++) scores[s + j] = scores[s + j]! + MASKED;
          }
        }
      }
      const probs = buf('probs', scores.length);
      native.softmax(scores, probs, B * nH * qb, keys);
      // y [B·nH,qb,hs] = probs · v
      const y = buf('y', B * nH * qb * hs);
      native.gemm(probs, Vs, y, B * nH, qb * keys, cap * hs, qb, hs, keys, 0, 0, null);
      // [B,nH,qb,hs] -> rows q0.. of [B·Tq,C]
      for (let b = 0; b < B; b++) {
        for (let head = 0; head < nH; head++) {
          for (let i = 0; i < qb; i++) {
            const from = ((b * nH + head) * qb + i) * hs;
            const to = (b * Tq + q0 + i) * C + head * hs;
            for (let e = 0; e < hs; e++) merged[to + e] = y[from + e]!;
          }
        }
      }
    }
    return merged;
  }

  /** LayerNorm over rows of x [n,C] (as LayerNorm.forward: biased variance, eps 1e-5) into scratch `name`. */
  private layerNorm(x: Float32Array, n: number, gain: Float32Array, bias: Float32Array, name: string): Float32Array {
    const C = this.model.config.nEmbd;
    const out = buf(name, n * C);
    this.native.layerNorm(x.subarray(0, n * C), gain, bias, out, n, C, LayerNorm.eps);
    return out;
  }

  /** GELU (tanh approximation, as mlp.ts's gelu) of x, in scratch. */
  private gelu(x: Float32Array): Float32Array {
    const out = buf('gelu', x.length);
    this.native.gelu(x, out);
    return out;
  }

  private blockWeights(layer: number, f: (t: tf.Tensor) => Float32Array): BlockWeights {
    const block = this.model.trunk.blocks[layer]!;
    return {
      ln1g: f(block.ln1.gain),
      ln1b: f(block.ln1.bias),
      qkvW: f(block.attn.qkv.w),
      qkvB: f(block.attn.qkv.b),
      projW: f(block.attn.proj.w),
      projB: f(block.attn.proj.b),
      ln2g: f(block.ln2.gain),
      ln2b: f(block.ln2.bias),
      fcW: f(block.mlp.fc.w),
      fcB: f(block.mlp.fc.b),
      mlpW: f(block.mlp.proj.w),
      mlpB: f(block.mlp.proj.b),
    };
  }

  /** Grows every layer's key/value arrays to hold `needed` positions (doubling, at most blockSize). */
  private reserve(needed: number): void {
    if (needed <= this.cap) return;
    const { nHead: nH, headSize: hs, blockSize } = this.model.config;
    const cap = Math.min(blockSize, Math.max(needed, 2 * this.cap, 64));
    const rows = this.batch * nH;
    const grow = (old: Float32Array) => {
      const next = new Float32Array(rows * cap * hs);
      for (let r = 0; r < rows && this.cached > 0; r++) {
        next.set(old.subarray(r * this.cap * hs, (r * this.cap + this.cached) * hs), r * cap * hs);
      }
      return next;
    };
    for (let l = 0; l < this.keys.length; l++) {
      this.keys[l] = grow(this.keys[l]!);
      this.values[l] = grow(this.values[l]!);
    }
    this.cap = cap;
  }
}

/** Rows of queries whose scores are computed at once (see attention). */
const QUERY_BLOCK = 64;
/** Scratch arrays larger than this many floats are not kept between forwards. */
const KEEP_SCRATCH = 1 << 22;
const scratch = new Map<string, Float32Array>();

/**
 * A scratch array of n floats, shared by every forward (they run one at a time: JavaScript is single-
 * threaded and forward() never yields), so decoding allocates nothing per token. Not zeroed.
 */
function buf(name: string, n: number): Float32Array {
  let a = scratch.get(name);
  if (!a || a.length < n) {
    a = new Float32Array(n);
    if (n <= KEEP_SCRATCH) scratch.set(name, a);
  }
  return a.length === n ? a : a.subarray(0, n);
}
