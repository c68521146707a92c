/**
 * cpu elementwise kernels in vectorized C. tfjs's cpu kernels convert every output index to
 * coordinates and back when an operand is broadcast (x + bias, x · rsqrt(var)), and call a JavaScript
 * closure per element; here strides are coalesced once (strides.ts) and the rows run as SIMD loops,
 * exp/tanh/log through glibc's vector math, on both cores for large tensors.
 * float32 only; other dtypes use the stock kernels.
 */
import { BINARY, type NativeKernels, UNARY } from '../native/load.js';
import { tf } from '../tf.js';
import { cpuFloats, type CpuBackend } from './backend-types.js';
import { allocFloats } from './cpu-buffer-pool.js';
import { stockKernel } from './registry.js';
import { broadcastStrides, memoize } from './strides.js';

/** Output shape and coalesced strides of `a op b`, as the addon takes them. */
const plan = memoize(
  (a: number[], b: number[]) => `${a}|${b}`,
  (a: number[], b: number[]) => {
    const { shape, sa, sb } = broadcastStrides(a, b);
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a, b);
    return { outShape, shape: Int32Array.from(shape), sa: Int32Array.from(sa), sb: Int32Array.from(sb) };
  },
);

function binaryKernel(native: NativeKernels, kernelName: keyof typeof BINARY): tf.KernelConfig {
  const op = BINARY[kernelName];
  return {
    kernelName,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const backend = args.backend as CpuBackend;
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      if (a.dtype !== 'float32' || b.dtype !== 'float32') return stockKernel(kernelName, 'cpu').kernelFunc(args);
      const p = plan(a.shape, b.shape);
      const outShape = p.outShape.slice();
      const out = allocFloats(backend, tf.util.sizeFromShape(outShape));
      if (out.length === 0) return backend.makeTensorInfo(outShape, 'float32', out);
      const av = cpuFloats(backend, a);
      const bv = cpuFloats(backend, b);
      if (kernelName === 'Pow' && bv.length === 1 && av.length === out.length) {
        native.unary(UNARY.PowScalar, av, out, bv[0]!); // x ** constant (GELU's x³)
      } else {
        native.binary(op, av, p.sa, bv, p.sb, out, p.shape);
      }
      return backend.makeTensorInfo(outShape, 'float32', out);
    },
  };
}

function unaryKernel(native: NativeKernels, kernelName: Exclude<keyof typeof UNARY, 'PowScalar'>): tf.KernelConfig {
  const op = UNARY[kernelName];
  return {
    kernelName,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const backend = args.backend as CpuBackend;
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype !== 'float32') return stockKernel(kernelName, 'cpu').kernelFunc(args);
      const xv = cpuFloats(backend, x);
      const out = allocFloats(backend, xv.length);
      if (out.length > 0) native.unary(op, xv, out, 0);
      return backend.makeTensorInfo(x.shape, 'float32', out);
    },
  };
}

export function nativeElementwiseKernels(native: NativeKernels): tf.KernelConfig[] {
  const binary = Object.keys(BINARY) as (keyof typeof BINARY)[];
  const unary = (Object.keys(UNARY) as (keyof typeof UNARY)[]).filter((k) => k !== 'PowScalar') as Exclude<
    keyof typeof UNARY,
    'PowScalar'
  >[];
  return [...binary.map((k) => binaryKernel(native, k)), ...unary.map((k) => unaryKernel(native, k))];
}
