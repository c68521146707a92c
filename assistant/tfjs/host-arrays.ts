/**
 * Direct access to the cpu backend's arrays, for code that runs a whole computation on plain
 * Float32Arrays through the native addon instead of one tfjs kernel per operation (the model's
 * decoding step: ~160 tiny kernels per token, where tfjs's per-kernel bookkeeping cost more than the
 * arithmetic; see assistant/model/native-decode.ts).
 */
import { loadNative, type NativeKernels } from './native/load.js';
import { tf } from './tf.js';

interface CpuData {
  data: { get(dataId: tf.DataId): { values: tf.BackendValues } };
}

/**
 * The native kernels when the active backend is tfjs's `cpu` (patched or not: its tensors live in
 * JavaScript typed arrays) and the addon is built; else null (wasm, tfjs-node, `cpu-stock`,
 * RAPPORT_NATIVE=0), and callers use tfjs ops.
 */
export function cpuNativeKernels(): NativeKernels | null {
  if (tf.getBackend() !== 'cpu') return null;
  return loadNative().kernels;
}

/**
 * A reader of float32 tensors' values on the `cpu` backend: the backend's own arrays, no copy. Read
 * them synchronously and never write to them: tfjs may hand an array to another tensor once its tensor
 * is disposed (or reassigned, for a variable), so make a reader for every computation.
 */
export function cpuFloatsReader(): (t: tf.Tensor) => Float32Array {
  if (tf.getBackend() !== 'cpu') throw new Error(`reading tensors in place needs the cpu backend, not ${tf.getBackend()}`);
  const data = (tf.backend() as unknown as CpuData).data;
  return (t) => {
    if (t.dtype !== 'float32') throw new Error(`tensor is ${t.dtype}; pass a float32 tensor`);
    const values = data.get(t.dataId).values;
    // The cpu Cast kernel may relabel an int32/bool array as float32: convert those (a copy).
    return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  };
}
