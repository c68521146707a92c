/**
 * wasm OneHot. The stock wasm kernel (tfjs 4.22) writes int32 bit patterns whatever the dtype, so
 * `tf.oneHot(ids, V, 1, 0, 'float32')` yields 1.4e-45 instead of 1 — which silently breaks any
 * cross-entropy gradient built on it (the model's is). Written in JavaScript on the heap views.
 */
import { tf } from '../tf.js';
import type { WasmBackend } from './backend-types.js';
import { stockKernel } from './registry.js';

export const wasmOneHot: tf.KernelConfig = {
  kernelName: tf.OneHot,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const backend = args.backend as WasmBackend;
    const indices = args.inputs.indices as tf.TensorInfo;
    const { depth, onValue, offValue, dtype } = args.attrs as { depth: number; onValue: number; offValue: number; dtype: tf.DataType };
    if (dtype !== 'float32' && dtype !== 'int32') return stockKernel(tf.OneHot, 'wasm').kernelFunc(args);
    const out = backend.makeOutput([...indices.shape, depth], dtype); // may grow the heap: views after it
    const ids = backend.typedArrayFromHeap(indices);
    const values = backend.typedArrayFromHeap(out);
    values.fill(offValue);
    for (let i = 0; i < ids.length; i++) {
      const v = ids[i]!;
      if (v >= 0 && v < depth) values[i * depth + v] = onValue;
    }
    return out;
  },
};
