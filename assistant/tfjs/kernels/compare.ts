/**
 * Test support: run the same computation on two backends and compare. The reference is always tfjs's
 * untouched cpu backend (`cpu-stock`), so a patched kernel is held to the stock kernel's outputs and,
 * through `tf.grads`, to the stock gradients.
 */
import { tf } from '../tf.js';
import { seededRandom } from '../../random.js';
import type { NativeKernels } from '../native/load.js';
import { patchBackend } from './index.js';
import { CPU_STOCK, ensureCpuStock, quietCpu } from './registry.js';

/** Runs `f` on `backend` and returns its outputs as plain arrays (tensors are disposed). */
export async function runOn(backend: string, f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  ensureCpuStock();
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not initialize`);
  quietCpu();
  const outs = tf.tidy(() => {
    const r = f();
    return Array.isArray(r) ? r : [r];
  });
  const values = outs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outs);
  return values;
}

/** Largest |a - e| / (|e| + max|e|): error relative to the value, floored at the array's scale. */
export function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (Number.isNaN(a) !== Number.isNaN(e)) return Infinity;
    if (a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    worst = Math.max(worst, Math.abs(a - e) / (Math.abs(e) + scale || 1));
  }
  return worst;
}

/** Runs `f` on `backend` and on stock cpu; returns the worst relative error over all outputs. */
export async function maxErrorVsStock(backend: string, f: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const want = await runOn(CPU_STOCK, f);
  const got = await runOn(backend, f);
  if (want.length !== got.length) return Infinity;
  return Math.max(...want.map((w, i) => relError(got[i]!, w)));
}

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
export const rng = seededRandom;

/** `n` normal-ish floats in [-scale, scale) from `rand`. */
export function randomValues(rand: () => number, n: number, scale = 1): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = (rand() * 2 - 1) * scale;
  return v;
}

/**
 * Outputs and gradients of `loss(...inputs)`-style checks: returns [y, dy/dinput…] where the scalar
 * whose gradient is taken is Σ y·w for a fixed random weight w (so every output element matters).
 */
export function withGrads(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  seed = 99,
): tf.Tensor[] {
  const y = f(...inputs);
  const w = tf.tensor(randomValues(rng(seed), y.size), y.shape);
  const grads = tf.grads((...xs: tf.Tensor[]) => f(...xs).mul(w).sum())(inputs);
  return [y, ...grads];
}

/** A float32 tensor of `shape` with seeded values in [-scale, scale). */
export function randomTensor(seed: number, shape: number[], scale = 1): tf.Tensor {
  return tf.tensor(randomValues(rng(seed), shape.reduce((a, n) => a * n, 1), scale), shape);
}

/** Registers our kernels on `backend` (importing the wasm backend when needed). */
export async function preparePatched(backend: 'cpu' | 'wasm', native?: NativeKernels | null): Promise<void> {
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  patchBackend(backend, native);
}
