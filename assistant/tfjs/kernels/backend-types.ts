/**
 * The parts of tfjs's cpu and wasm backend classes our kernels use. tfjs types kernels' `backend` as the
 * abstract `KernelBackend`; these views name the fields the stock kernels read
 * (tfjs-backend-cpu `MathBackendCPU`, tfjs-backend-wasm `BackendWasm`, both 4.22).
 */
import type { tf } from '../tf.js';

export interface CpuBackend extends tf.KernelBackend {
  data: { get(dataId: tf.DataId): { values: tf.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.BackendValues): tf.TensorInfo;
  disposeIntermediateTensorInfo(t: tf.TensorInfo): void;
}

export interface WasmBackend extends tf.KernelBackend {
  wasm: {
    HEAPU8: Uint8Array;
    HEAPF32: Float32Array;
    /** Emscripten's binding of an exported C function (`'array'` arguments are copied to the stack). */
    cwrap(name: string, ret: null | 'number', args: ('number' | 'array')[]): (...args: unknown[]) => unknown;
    tfjs: {
      registerTensor(id: number, size: number, memoryOffset: number): void;
      disposeData(id: number): void;
    };
  };
  dataIdMap: { get(dataId: tf.DataId): { id: number; memoryOffset: number; shape: number[] } };
  /** Next tensor id for the C side's tensor registry. */
  dataIdNextNumber: number;
  /** Allocates on the wasm heap (may grow it: take heap views after allocating). */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

/** The values of a cpu-backend tensor. */
export function cpuValues(backend: CpuBackend, t: tf.TensorInfo): tf.TypedArray {
  return backend.data.get(t.dataId).values as tf.TypedArray;
}

/**
 * The values of a float32 cpu tensor as a Float32Array. Not always the stored array's type: the cpu
 * Cast kernel casts bool/int32 to float32 by relabelling the same Uint8Array/Int32Array, so those are
 * converted (a copy) before C reads them as floats.
 */
export function cpuFloats(backend: CpuBackend, t: tf.TensorInfo): Float32Array {
  const v = cpuValues(backend, t);
  return v instanceof Float32Array ? v : Float32Array.from(v);
}
