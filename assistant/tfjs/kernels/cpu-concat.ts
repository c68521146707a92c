/**
 * cpu Concat as block copies: every KV-cache step appends one position to each layer's keys and values,
 * and stock's reshape-to-2-D route costs ~80 µs per call for a few kilobytes. float32 and int32.
 */
import { tf } from '../tf.js';
import { cpuValues, type CpuBackend } from './backend-types.js';
import { allocFloats } from './cpu-buffer-pool.js';
import { stockKernel } from './registry.js';

export const cpuConcat: tf.KernelConfig = {
  kernelName: tf.Concat,
  backendName: 'cpu',
  kernelFunc: (args) => {
    const backend = args.backend as CpuBackend;
    const inputs = Object.values(args.inputs) as tf.TensorInfo[];
    const dtype = inputs[0]!.dtype;
    if ((dtype !== 'float32' && dtype !== 'int32') || inputs.some((t) => t.dtype !== dtype)) {
      return stockKernel(tf.Concat, 'cpu').kernelFunc(args);
    }
    const axis = tf.util.parseAxisParam(args.attrs!.axis as number, inputs[0]!.shape)[0]!;
    tf.backend_util.assertParamsConsistent(inputs.map((t) => t.shape), axis);
    const outShape = tf.backend_util.computeOutShape(inputs.map((t) => t.shape), axis);
    const size = tf.util.sizeFromShape(outShape);
    const out = dtype === 'float32' ? allocFloats(backend, size) : new Int32Array(size);
    const outer = tf.util.sizeFromShape(outShape.slice(0, axis));
    const rowOut = size / Math.max(outer, 1); // elements per outer index in the output
    let offset = 0;
    for (const t of inputs) {
      const block = tf.util.sizeFromShape(t.shape.slice(axis)); // elements per outer index in t
      if (block === 0) continue;
      const v = cpuValues(backend, t);
      // Values may be a widened Uint8Array/Int32Array under float32 (see cpuFloats): copy as numbers then.
      const same = v.constructor === out.constructor;
      for (let o = 0; o < outer; o++) {
        const from = o * block;
        const to = o * rowOut + offset;
        if (same) out.set((v as Float32Array).subarray(from, from + block), to);
        else for (let j = 0; j < block; j++) out[to + j] = v[from + j]!;
      }
      offset += block;
    }
    return backend.makeTensorInfo(outShape, dtype, out);
  },
};
