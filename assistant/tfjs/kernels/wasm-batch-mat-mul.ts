/**
 * wasm BatchMatMul routed onto XNNPACK's fast path. The stock wasm kernel uses XNNPACK only for a single
 * matmul without transpose flags and falls back to a naive loop otherwise (~1 GFLOP/s against ~10–20):
 * that covers the forward linear layers but not attention (batched) nor any backward matmul (transposed).
 * Here every product becomes fast-path calls:
 *  1. transposes are materialized with the wasm Transpose kernel — either of the operands (C = A'·B') or
 *     of the other operands plus the result (C = (op(B)ᵀ·op(A)ᵀ)ᵀ), whichever moves fewer floats;
 *  2. a batch against one shared right operand is a single [batch·M, K] × [K, N] call;
 *  3. other batches loop, one call per matrix, on tensor ids registered as views into the operands'
 *     and output's heap memory (no copies).
 */
import { tf } from '../tf.js';
import type { WasmBackend } from './backend-types.js';
import { stockKernel } from './registry.js';

type CBatchMatMul = (
  aId: number, aShape: Uint8Array, aRank: number,
  bId: number, bShape: Uint8Array, bRank: number,
  transposeA: number, transposeB: number, outId: number,
) => void;

let cBatchMatMul: CBatchMatMul | undefined;
let boundTo: WasmBackend | undefined;

function bind(backend: WasmBackend): CBatchMatMul {
  if (boundTo !== backend || !cBatchMatMul) {
    const args: ('number' | 'array')[] = ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number'];
    cBatchMatMul = backend.wasm.cwrap('BatchMatMul', null, args) as CBatchMatMul;
    boundTo = backend;
  }
  return cBatchMatMul;
}

const shapeBytes = (shape: number[]) => new Uint8Array(new Int32Array(shape).buffer);

/** A [batch, rows, cols] tensor on the wasm heap, as the pieces the C kernel needs. */
interface Mat {
  info: tf.TensorInfo;
  batch: number;
  rows: number;
  cols: number;
}

function transposeLast2(backend: WasmBackend, m: Mat): Mat {
  const x = { ...m.info, shape: [m.batch, m.rows, m.cols] };
  const out = stockKernel(tf.Transpose, 'wasm').kernelFunc({
    inputs: { x },
    backend,
    attrs: { perm: [0, 2, 1] },
  }) as tf.TensorInfo;
  return { info: out, batch: m.batch, rows: m.cols, cols: m.rows };
}

/** out[i] = a[i or 0] · b[i or 0] for untransposed row-major operands, written into `out`'s memory. */
function nnInto(backend: WasmBackend, a: Mat, b: Mat, out: tf.TensorInfo): void {
  const call = bind(backend);
  const { id: aId, memoryOffset: aOff } = backend.dataIdMap.get(a.info.dataId);
  const { id: bId, memoryOffset: bOff } = backend.dataIdMap.get(b.info.dataId);
  const { id: outId, memoryOffset: outOff } = backend.dataIdMap.get(out.dataId);
  const [M, K, N] = [a.rows, a.cols, b.cols];
  if (b.batch === 1) {
    // 2. one call: the batch of left matrices is one tall matrix.
    call(aId, shapeBytes([1, a.batch * M, K]), 3, bId, shapeBytes([1, K, N]), 3, 0, 0, outId);
    return;
  }
  // 3. one call per matrix, on views. Fresh ids each time: XNNPACK caches packed weights by id.
  const batch = Math.max(a.batch, b.batch);
  const view = (offset: number, size: number) => {
    const id = backend.dataIdNextNumber++;
    backend.wasm.tfjs.registerTensor(id, size, offset);
    return id;
  };
  for (let i = 0; i < batch; i++) {
    const ai = a.batch === 1 ? aId : view(aOff + i * M * K * 4, M * K);
    const bi = view(bOff + i * K * N * 4, K * N);
    const oi = view(outOff + i * M * N * 4, M * N);
    call(ai, shapeBytes([1, M, K]), 3, bi, shapeBytes([1, K, N]), 3, 0, 0, oi);
    if (ai !== aId) backend.wasm.tfjs.disposeData(ai);
    backend.wasm.tfjs.disposeData(bi);
    backend.wasm.tfjs.disposeData(oi);
  }
}

function nn(backend: WasmBackend, a: Mat, b: Mat): Mat {
  const batch = Math.max(a.batch, b.batch);
  const info = backend.makeOutput([batch, a.rows, b.cols], 'float32');
  nnInto(backend, a, b, info);
  return { info, batch, rows: a.rows, cols: b.cols };
}

export const wasmBatchMatMul: tf.KernelConfig = {
  kernelName: tf.BatchMatMul,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const backend = args.backend as WasmBackend;
    const a = args.inputs.a as tf.TensorInfo;
    const b = args.inputs.b as tf.TensorInfo;
    const tA = Boolean(args.attrs?.transposeA);
    const tB = Boolean(args.attrs?.transposeB);
    const aBatch = tf.util.sizeFromShape(a.shape.slice(0, -2));
    const bBatch = tf.util.sizeFromShape(b.shape.slice(0, -2));
    const stock = stockKernel(tf.BatchMatMul, 'wasm');
    const simple = aBatch === 1 && bBatch === 1 && !tA && !tB;
    const broadcastable = aBatch === bBatch || aBatch === 1 || bBatch === 1;
    if (simple || a.dtype !== 'float32' || b.dtype !== 'float32' || !broadcastable) return stock.kernelFunc(args);

    const [ar, ac] = a.shape.slice(-2) as [number, number];
    const [br, bc] = b.shape.slice(-2) as [number, number];
    const [M, K] = tA ? [ac, ar] : [ar, ac];
    const [K2, N] = tB ? [bc, br] : [br, bc];
    tf.util.assert(K === K2, () => `matMul: inner dimensions ${K} and ${K2} of shapes ${a.shape} and ${b.shape} (transposeA=${tA}, transposeB=${tB}) must match`);
    const outer = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const A: Mat = { info: a, batch: aBatch, rows: ar, cols: ac };
    const B: Mat = { info: b, batch: bBatch, rows: br, cols: bc };
    const batch = Math.max(aBatch, bBatch);

    // 1. Which materialization moves fewer floats.
    const sizeA = aBatch * M * K;
    const sizeB = bBatch * K * N;
    const direct = (tA ? sizeA : 0) + (tB ? sizeB : 0);
    const swapped = (tA ? 0 : sizeA) + (tB ? 0 : sizeB) + batch * M * N;
    const temps: tf.TensorInfo[] = [];
    const t = (m: Mat) => {
      const r = transposeLast2(backend, m);
      temps.push(r.info);
      return r;
    };
    let out: tf.TensorInfo;
    if (direct <= swapped) {
      out = nn(backend, tA ? t(A) : A, tB ? t(B) : B).info; // C = op(A)·op(B)
    } else {
      const ct = nn(backend, tB ? B : t(B), tA ? A : t(A)); // Cᵀ = op(B)ᵀ·op(A)ᵀ   [batch,N,M]
      temps.push(ct.info);
      out = t(ct).info; // [batch,M,N]
      temps.pop();
    }
    for (const x of temps) backend.disposeData(x.dataId);
    return { ...out, shape: [...outer, M, N] };
  },
};
