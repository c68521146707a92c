/**
 * Our kernels per backend. `patchBackend` registers them over the stock ones before the backend is
 * used; each replaces a stock kernel that profiling showed missing or slow (see each file's comment).
 * On cpu, the native addon's kernels are added when it is built (assistant/tfjs/native).
 */
import type { NativeKernels } from '../native/load.js';
import type { tf } from '../tf.js';
import { cpuConcat } from './cpu-concat.js';
import { cpuGatherV2, cpuOneHot } from './cpu-gather.js';
import { nativeElementwiseKernels } from './native-elementwise.js';
import { nativeMatMulKernels } from './native-mat-mul.js';
import { nativeReduceKernels } from './native-reduce.js';
import { nativeTransposeKernel } from './native-transpose.js';
import { restoreStockKernels, replaceKernel } from './registry.js';
import { cpuUnsortedSegmentSum, wasmUnsortedSegmentSum } from './unsorted-segment-sum.js';
import { wasmBatchMatMul } from './wasm-batch-mat-mul.js';
import { wasmOneHot } from './wasm-one-hot.js';
import { wasmSum } from './wasm-sum.js';
import { wasmIdentity, wasmTranspose } from './wasm-transpose.js';

export type PatchableBackend = 'cpu' | 'wasm';

/** The kernels we register on `backend` (with the native addon's when given, cpu only). */
export function kernelsFor(backend: PatchableBackend, native?: NativeKernels | null): tf.KernelConfig[] {
  if (backend === 'wasm') return [wasmUnsortedSegmentSum, wasmBatchMatMul, wasmOneHot, wasmTranspose, wasmIdentity, wasmSum];
  const js = [cpuUnsortedSegmentSum, cpuGatherV2, cpuOneHot, cpuConcat];
  if (!native) return js;
  return [
    ...js,
    ...nativeMatMulKernels(native),
    ...nativeElementwiseKernels(native),
    ...nativeReduceKernels(native),
    nativeTransposeKernel(native),
  ];
}

/** Registers our kernels for `backend`; returns their names. Idempotent. */
export function patchBackend(backend: PatchableBackend, native?: NativeKernels | null): string[] {
  restoreStockKernels(backend); // a second call (e.g. now with native kernels) starts from stock
  const configs = kernelsFor(backend, native);
  for (const config of configs) replaceKernel(config);
  return configs.map((c) => c.kernelName);
}

/** Undoes `patchBackend` (for measuring the stock backend in the same process). */
export function unpatchBackend(backend: PatchableBackend): void {
  restoreStockKernels(backend);
}
