/**
 * cpu BatchMatMul and _FusedMatMul (bias, linear activation) on OpenBLAS through the native addon:
 * ~0.3–2 GFLOP/s for tfjs's JavaScript loops against 50–70 per core (large products use OpenBLAS's
 * threads; products of ≤ 8 rows, as in decoding, use sgemv: native/gemm.c). Transposes are BLAS flags
 * (no copies); a batch against one shared right operand is one tall product. Other dtypes,
 * activations and batch broadcasts fall back to the stock kernel.
 */
import type { NativeKernels } from '../native/load.js';
import { tf } from '../tf.js';
import { cpuFloats, type CpuBackend } from './backend-types.js';
import { allocFloats } from './cpu-buffer-pool.js';
import { stockKernel } from './registry.js';

interface Product {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  bias?: tf.TensorInfo;
}

/** The product as a tensor, or undefined when this kernel does not handle it. */
function product(native: NativeKernels, backend: CpuBackend, p: Product): tf.TensorInfo | undefined {
  const { a, b, transposeA: tA, transposeB: tB, bias } = p;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || (bias && bias.dtype !== 'float32')) return undefined;
  const aBatch = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const bBatch = tf.util.sizeFromShape(b.shape.slice(0, -2));
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape.slice(-2) as [number, number];
  const [M, K] = tA ? [ac, ar] : [ar, ac];
  const [K2, N] = tB ? [bc, br] : [br, bc];
  tf.util.assert(K === K2, () => `matMul: inner dimensions ${K} and ${K2} of shapes ${a.shape} and ${b.shape} (transposeA=${tA}, transposeB=${tB}) must match`);
  const outer = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = tf.util.sizeFromShape(outer);
  // Batch broadcasting other than "one side has a single matrix" (e.g. [2,1]×[1,3]): stock handles it.
  if (!(aBatch === bBatch || aBatch === 1 || bBatch === 1) || Math.max(aBatch, bBatch) !== batch) return undefined;
  // A bias of one value per column ([N], [1,N]…) is added by the kernel; any other shape: stock.
  if (bias && (bias.shape[bias.shape.length - 1] !== N || tf.util.sizeFromShape(bias.shape) !== N)) return undefined;
  const out = allocFloats(backend, batch * M * N);
  if (out.length > 0) {
    const av = cpuFloats(backend, a);
    const bv = cpuFloats(backend, b);
    const biasV = bias ? cpuFloats(backend, bias) : null;
    if (bBatch === 1 && !tA && aBatch > 1) {
      native.gemm(av, bv, out, 1, 0, 0, aBatch * M, N, K, 0, tB ? 1 : 0, biasV); // a batch is one tall matrix
    } else {
      const strideA = aBatch === 1 ? 0 : M * K;
      const strideB = bBatch === 1 ? 0 : K * N;
      native.gemm(av, bv, out, batch, strideA, strideB, M, N, K, tA ? 1 : 0, tB ? 1 : 0, biasV);
    }
  }
  return backend.makeTensorInfo([...outer, M, N], 'float32', out);
}

export function nativeMatMulKernels(native: NativeKernels): tf.KernelConfig[] {
  return [
    {
      kernelName: tf.BatchMatMul,
      backendName: 'cpu',
      kernelFunc: (args) => {
        const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
        const p = { a, b, transposeA: Boolean(args.attrs?.transposeA), transposeB: Boolean(args.attrs?.transposeB) };
        return product(native, args.backend as CpuBackend, p) ?? stockKernel(tf.BatchMatMul, 'cpu').kernelFunc(args);
      },
    },
    {
      kernelName: tf._FusedMatMul,
      backendName: 'cpu',
      kernelFunc: (args) => {
        const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
        const activation = (args.attrs?.activation as string | undefined) ?? 'linear';
        const stock = () => stockKernel(tf._FusedMatMul, 'cpu').kernelFunc(args);
        if (activation !== 'linear' || preluActivationWeights) return stock();
        const p = { a: a!, b: b!, bias, transposeA: Boolean(args.attrs?.transposeA), transposeB: Boolean(args.attrs?.transposeB) };
        return product(native, args.backend as CpuBackend, p) ?? stock();
      },
    },
  ];
}
