/**
 * UnsortedSegmentSum (the gradient of `tf.gather`, i.e. of every embedding lookup) in one linear pass.
 * Stock cpu runs one masked pass over the whole input per segment (O(segments × size): 80% of a
 * training step with a 2048-token vocabulary); stock wasm has no kernel at all, so training an
 * embedding throws there. Ids outside [0, numSegments) are dropped, as the stock kernel does.
 */
import { tf } from '../tf.js';
import { cpuValues, type CpuBackend, type WasmBackend } from './backend-types.js';

/**
 * out[s, j] = Σ_{i : ids[i] = s} x[i, j], for x viewed as [ids.length, inner]. Accumulates in float64
 * in the order of `ids`, like the stock kernel's float64 `sum`, so results match it to rounding.
 */
export function segmentSum(
  x: ArrayLike<number>,
  ids: ArrayLike<number>,
  numSegments: number,
  inner: number,
): Float64Array {
  const acc = new Float64Array(numSegments * inner);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i]!;
    if (s < 0 || s >= numSegments) continue;
    const o = s * inner;
    const xo = i * inner;
    for (let j = 0; j < inner; j++) acc[o + j] += x[xo + j]!;
  }
  return acc;
}

interface Args {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
}

function outShape(x: tf.TensorInfo, segmentIds: tf.TensorInfo, numSegments: number): number[] {
  return [numSegments, ...x.shape.slice(segmentIds.shape.length)];
}

function parse({ inputs, attrs }: Args) {
  const x = inputs.x as tf.TensorInfo;
  const segmentIds = inputs.segmentIds as tf.TensorInfo;
  const numSegments = attrs!.numSegments as number;
  const inner = tf.util.sizeFromShape(x.shape.slice(segmentIds.shape.length));
  return { x, segmentIds, numSegments, inner, shape: outShape(x, segmentIds, numSegments) };
}

export const cpuUnsortedSegmentSum: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'cpu',
  kernelFunc: (args) => {
    const backend = args.backend as CpuBackend;
    const { x, segmentIds, numSegments, inner, shape } = parse(args);
    const acc = segmentSum(cpuValues(backend, x), cpuValues(backend, segmentIds), numSegments, inner);
    const out = x.dtype === 'int32' ? Int32Array.from(acc) : Float32Array.from(acc);
    return backend.makeTensorInfo(shape, x.dtype, out);
  },
};

export const wasmUnsortedSegmentSum: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const backend = args.backend as WasmBackend;
    const { x, segmentIds, numSegments, inner, shape } = parse(args);
    const out = backend.makeOutput(shape, x.dtype); // may grow the heap: views after it
    const acc = segmentSum(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(segmentIds), numSegments, inner);
    backend.typedArrayFromHeap(out).set(acc);
    return out;
  },
};
