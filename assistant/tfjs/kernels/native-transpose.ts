/**
 * cpu Transpose in C: axes coalesced first (attention's [B,T,nH,hs] ↔ [B,nH,T,hs] copies whole
 * head-size runs), 2-D transposes in cache tiles. Any 4-byte dtype (float32, int32) is moved as bits.
 */
import type { NativeKernels } from '../native/load.js';
import { tf } from '../tf.js';
import { cpuValues, type CpuBackend } from './backend-types.js';
import { allocFloats } from './cpu-buffer-pool.js';
import { stockKernel } from './registry.js';
import { coalescePermutation, memoize } from './strides.js';

const plan = memoize(
  (shape: number[], perm: number[]) => `${shape}|${perm}`,
  (shape: number[], perm: number[]) => {
    const c = coalescePermutation(shape, perm);
    return { shape: Int32Array.from(c.shape), perm: Int32Array.from(c.perm) };
  },
);

/** The same 4-byte elements seen as floats (the C code only moves bits). */
const asFloat = (v: Float32Array | Int32Array) => (v instanceof Float32Array ? v : new Float32Array(v.buffer, v.byteOffset, v.length));

/** Values in the array type of their dtype (the cpu Cast kernel may leave bool bytes under int32/float32). */
function typed(v: tf.TypedArray, dtype: 'float32' | 'int32'): Float32Array | Int32Array {
  if (dtype === 'float32') return v instanceof Float32Array ? v : Float32Array.from(v);
  return v instanceof Int32Array ? v : Int32Array.from(v);
}

export function nativeTransposeKernel(native: NativeKernels): tf.KernelConfig {
  return {
    kernelName: tf.Transpose,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const backend = args.backend as CpuBackend;
      const x = args.inputs.x as tf.TensorInfo;
      const perm = args.attrs!.perm as number[];
      if (x.dtype !== 'float32' && x.dtype !== 'int32') return stockKernel(tf.Transpose, 'cpu').kernelFunc(args);
      const outShape = perm.map((d) => x.shape[d]!);
      const xv = typed(cpuValues(backend, x), x.dtype);
      const out = x.dtype === 'float32' ? allocFloats(backend, xv.length) : new Int32Array(xv.length);
      if (out.length > 0) {
        const c = plan(x.shape, perm);
        native.transpose(asFloat(xv), asFloat(out), c.shape, c.perm);
      }
      return backend.makeTensorInfo(outShape, x.dtype, out);
    },
  };
}
