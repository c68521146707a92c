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
 * The values of a float32 tensor on the `cpu` backend: the backend's own array, no copy. Read it
 * synchronously and never write to it: tfjs may hand the array to another tensor once this one is
 * disposed (or reassigned, for a variable), so fetch it again for every computation.
 */
export function cpuFloatsOf(t: tf.Tensor): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`cpuFloatsOf: tensor is ${t.dtype}; pass a float32 tensor`);
  if (tf.getBackend() !== 'cpu') throw new Error(`cpuFloatsOf needs the cpu backend, not ${tf.getBackend()}`);
  const values = (tf.backend() as unknown as CpuData).data.get(t.dataId).values;
  // The cpu Cast kernel may relabel an int32/bool array as float32: convert those (a copy).
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}
