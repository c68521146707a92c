/**
 * The optional native kernels (build.mjs → build/rapport_tfjs.node). `loadNative()` returns them, or
 * why they are unavailable; callers then use the pure-JavaScript/wasm path.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Operation codes, as in kernels.h. */
export const BINARY = { Add: 0, Sub: 1, Multiply: 2, RealDiv: 3, Maximum: 4, Minimum: 5, SquaredDifference: 6, Pow: 7 } as const;
export const UNARY = {
  Exp: 0, Tanh: 1, Sqrt: 2, Rsqrt: 3, Square: 4, Neg: 5, Log: 6, Reciprocal: 7, Abs: 8, PowScalar: 9, Sigmoid: 10,
} as const;
export const REDUCE = { Sum: 0, Max: 1, Min: 2, Mean: 3 } as const;

/** The addon's functions. Arrays are read and written in place; the caller allocates outputs. */
export interface NativeKernels {
  /** out[i] = op(A_i)·op(B_i) (+ bias per column), A_i = a[i*strideA…], B_i = b[i*strideB…]. */
  gemm(
    a: Float32Array, b: Float32Array, out: Float32Array, batch: number, strideA: number, strideB: number,
    m: number, n: number, k: number, transA: number, transB: number, bias: Float32Array | null,
  ): void;
  /** out = a op b over coalesced `shape`; sa/sb are element strides (0 = broadcast). */
  binary(op: number, a: Float32Array, sa: Int32Array, b: Float32Array, sb: Int32Array, out: Float32Array, shape: Int32Array): void;
  /** out = op(x) elementwise (`p`: the exponent of PowScalar). */
  unary(op: number, x: Float32Array, out: Float32Array, p: number): void;
  /** GELU, tanh approximation (the model's decoding path; training uses tfjs ops). */
  gelu(x: Float32Array, out: Float32Array): void;
  /** LayerNorm of each row of [rows, cols]: (x - mean)·rsqrt(var + eps)·gain + bias. */
  layerNorm(x: Float32Array, gain: Float32Array, bias: Float32Array, out: Float32Array, rows: number, cols: number, eps: number): void;
  /** x as [outer, r, inner] reduced over r into out [outer, inner]. */
  reduce(op: number, x: Float32Array, out: Float32Array, outer: number, r: number, inner: number): void;
  /** Softmax over the last axis of [rows, cols]. */
  softmax(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /** out = x with axes permuted (rank ≤ 8). */
  transpose(x: Float32Array, out: Float32Array, shape: Int32Array, perm: Int32Array): void;
  /** Sets the OpenBLAS thread count when n > 0 (default: OPENBLAS_NUM_THREADS, else all cores); returns it. */
  threads(n?: number): number;
}

/**
 * The native/ folder (sources and build/): this module's own under tsx; bundled into dist/server by
 * `npm run build:server`, this module no longer sits there, so it is found from the project root.
 */
function nativeDir(): string {
  const own = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = own; ; dir = path.dirname(dir)) {
    for (const candidate of [dir, path.join(dir, 'assistant', 'tfjs', 'native')]) {
      if (existsSync(path.join(candidate, 'addon.c'))) return candidate;
    }
    if (path.dirname(dir) === dir) return own;
  }
}

const HERE = nativeDir();
export const ADDON_PATH = path.join(HERE, 'build', 'rapport_tfjs.node');

/** sha256 of the C sources (same recipe as build.mjs), to refuse a binary built from other sources. */
function sourcesHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(HERE).filter((f) => /\.[ch]$/.test(f)).sort()) h.update(f).update(readFileSync(path.join(HERE, f)));
  return h.digest('hex');
}

let cached: { kernels: NativeKernels } | { kernels: null; reason: string } | undefined;

/** Loads build/rapport_tfjs.node once; `RAPPORT_NATIVE=0` disables it. */
export function loadNative(): { kernels: NativeKernels } | { kernels: null; reason: string } {
  if (cached) return cached;
  if (process.env.RAPPORT_NATIVE === '0') return (cached = { kernels: null, reason: 'RAPPORT_NATIVE=0' });
  const rebuild = 'run `node assistant/tfjs/native/build.mjs` (npm install does)';
  if (!existsSync(ADDON_PATH)) return (cached = { kernels: null, reason: `not built: ${rebuild}` });
  const built = path.join(HERE, 'build', 'sources.sha256');
  if (!existsSync(built) || readFileSync(built, 'utf8').trim() !== sourcesHash()) {
    return (cached = { kernels: null, reason: `built from other sources: ${rebuild}` });
  }
  try {
    const kernels = createRequire(import.meta.url)(ADDON_PATH) as NativeKernels;
    return (cached = { kernels });
  } catch (err) {
    return (cached = { kernels: null, reason: `does not load: ${(err as Error).message.split('\n')[0]}` });
  }
}
