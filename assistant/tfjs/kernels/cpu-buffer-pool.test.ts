import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import type { CpuBackend } from './backend-types.js';
import { preparePatched, randomTensor } from './compare.js';
import { pooledBytes } from './cpu-buffer-pool.js';

/** A pooled output: Concat (one of our JS kernels, present with or without the native addon). */
const pooledOutput = (seed: number) => tf.concat([randomTensor(seed, [4, 8]), randomTensor(seed + 1, [4, 8])], 1);

describe('cpu output-array reuse', () => {
  beforeAll(async () => {
    await preparePatched('cpu');
    await tf.setBackend('cpu');
  });

  it('reuses the arrays of disposed outputs, so repeated ops stop allocating', () => {
    const backend = tf.backend() as unknown as CpuBackend;
    pooledOutput(1).dispose();
    const kept = pooledBytes(backend);
    expect(kept).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) pooledOutput(i).dispose();
    expect(pooledBytes(backend)).toBe(kept);
  });

  it('never reuses an array handed out by dataSync()', () => {
    const t = pooledOutput(1);
    const values = t.dataSync(); // the stored array itself, on the cpu backend
    const copy = Float32Array.from(values);
    t.dispose();
    for (let i = 0; i < 20; i++) pooledOutput(100 + i).dispose();
    expect(Array.from(values)).toEqual(Array.from(copy));
  });

  it('never reuses an array another tensor views (stock Slice returns subarrays)', () => {
    const parent = pooledOutput(1);
    const row = tf.slice(parent, [1, 0], [1, 16]); // a view into parent's array
    const want = Array.from(tf.tidy(() => row.add(0)).dataSync());
    parent.dispose();
    const noise = Array.from({ length: 20 }, (_, i) => pooledOutput(200 + i));
    expect(Array.from(row.dataSync())).toEqual(want);
    tf.dispose([row, ...noise]);
  });

  it('keeps a reshaped or cloned tensor alive after the original is disposed', () => {
    const t = pooledOutput(3);
    const want = Array.from(tf.tidy(() => t.add(0)).dataSync());
    const reshaped = t.reshape([8, 8]); // shares the data id (refcount)
    const cloned = t.clone();
    t.dispose();
    const noise = Array.from({ length: 20 }, (_, i) => pooledOutput(300 + i));
    expect(Array.from(tf.tidy(() => reshaped.add(0)).dataSync())).toEqual(want);
    expect(Array.from(tf.tidy(() => cloned.add(0)).dataSync())).toEqual(want);
    tf.dispose([reshaped, cloned, ...noise]);
  });
});
