/**
 * Reuses the output arrays of our cpu kernels. The cpu backend allocates a fresh zero-filled typed array
 * per kernel output and leaves freeing to the garbage collector; a training step makes ~1 GB of them,
 * and the allocation, page faults and "external memory pressure" collections cost as much as the
 * arithmetic. Our kernels instead take arrays back once tfjs disposes their tensor — only arrays that
 * provably nobody else holds:
 *  - allocated here (`owned`), and registered under exactly one tensor: an array stored twice, or a
 *    view of it stored (stock Slice returns subarrays), makes its buffer `shared` forever;
 *  - never handed out by `readSync`/`read` (`dataSync()` returns the stored array itself);
 * Callers must overwrite every element of what `allocFloats` returns (it is not zeroed).
 */
import type { tf } from '../tf.js';
import type { CpuBackend } from './backend-types.js';

/** Most bytes kept for reuse; beyond it, released arrays go to the garbage collector. */
const MAX_POOLED_BYTES = 512 * 2 ** 20;

interface Pool {
  free: Map<number, Float32Array[]>;
  bytes: number;
  owned: WeakSet<Float32Array>;
  /** Tensors currently holding each owned buffer. */
  uses: WeakMap<ArrayBufferLike, number>;
  shared: WeakSet<ArrayBufferLike>;
}

interface Hookable {
  data: { has(id: tf.DataId): boolean; get(id: tf.DataId): { values?: unknown } };
  write(values: unknown, shape: number[], dtype: tf.DataType): tf.DataId;
  move(dataId: tf.DataId, values: unknown, shape: number[], dtype: tf.DataType, refCount: number): void;
  readSync(dataId: tf.DataId): unknown;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

const pools = new WeakMap<object, Pool>();

function install(backend: Hookable): Pool {
  const pool: Pool = { free: new Map(), bytes: 0, owned: new WeakSet(), uses: new WeakMap(), shared: new WeakSet() };
  const stored = (values: unknown) => {
    if (!ArrayBuffer.isView(values)) return;
    const n = pool.uses.get(values.buffer);
    if (n === undefined) return; // not ours
    if (n > 0 || !pool.owned.has(values as Float32Array)) pool.shared.add(values.buffer);
    pool.uses.set(values.buffer, n + 1);
  };
  const { write, move, readSync, disposeData } = backend;
  backend.write = function (values, shape, dtype) {
    stored(values);
    return write.call(this, values, shape, dtype);
  };
  backend.move = function (dataId, values, shape, dtype, refCount) {
    stored(values);
    return move.call(this, dataId, values, shape, dtype, refCount);
  };
  backend.readSync = function (dataId) {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    if (ArrayBuffer.isView(values)) pool.shared.add(values.buffer); // the caller now holds it
    return readSync.call(this, dataId);
  };
  backend.disposeData = function (dataId, force) {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const freed = disposeData.call(this, dataId, force);
    if (freed && values instanceof Float32Array && pool.uses.has(values.buffer)) {
      const n = pool.uses.get(values.buffer)! - 1;
      pool.uses.set(values.buffer, n);
      const reusable = n === 0 && pool.owned.has(values) && !pool.shared.has(values.buffer);
      if (reusable && pool.bytes + values.byteLength <= MAX_POOLED_BYTES) {
        let list = pool.free.get(values.length);
        if (!list) pool.free.set(values.length, (list = []));
        list.push(values);
        pool.bytes += values.byteLength;
      }
    }
    return freed;
  };
  return pool;
}

/** A Float32Array of n elements for a kernel output on `backend`, reused when one is free. Not zeroed. */
export function allocFloats(backend: CpuBackend, n: number): Float32Array {
  let pool = pools.get(backend);
  if (!pool) pools.set(backend, (pool = install(backend as unknown as Hookable)));
  const reused = pool.free.get(n)?.pop();
  if (reused) {
    pool.bytes -= reused.byteLength;
    return reused;
  }
  const fresh = new Float32Array(n);
  pool.owned.add(fresh);
  pool.uses.set(fresh.buffer, 0);
  return fresh;
}

/** Bytes currently kept for reuse on `backend` (for tests and diagnostics). */
export function pooledBytes(backend: CpuBackend): number {
  return pools.get(backend)?.bytes ?? 0;
}
