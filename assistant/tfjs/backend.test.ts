import { afterEach, describe, expect, it, vi } from 'vitest';
import { fallbackBackend, initTfjs, selectBackend } from './backend.js';
import { isPatched } from './kernels/registry.js';
import { tf } from './tf.js';

/** What Node throws for `import()` of a package that is not installed. */
const notInstalled = (pkg: string) =>
  Object.assign(new Error(`Cannot find package '${pkg}' imported from /work/main/assistant/tfjs/backend.ts`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
const nothingInstalled = async (pkg: string) => {
  throw notInstalled(pkg);
};

describe('selectBackend', () => {
  afterEach(() => {
    delete process.env.TFJS_BACKEND;
  });

  it('honours TFJS_BACKEND without importing the optional packages', async () => {
    const load = vi.fn(nothingInstalled);
    process.env.TFJS_BACKEND = 'wasm-stock';
    expect(await selectBackend({ load })).toEqual({ name: 'wasm-stock', reason: 'TFJS_BACKEND' });
    expect(await selectBackend({ override: 'cpu', load })).toEqual({ name: 'cpu', reason: 'TFJS_BACKEND' });
    expect(load).not.toHaveBeenCalled();
  });

  it('rejects an unknown TFJS_BACKEND, listing the valid ones', async () => {
    await expect(selectBackend({ override: 'gpu', load: nothingInstalled })).rejects.toThrow(
      /TFJS_BACKEND=gpu is not a backend: use one of node-gpu, node, cpu, wasm, cpu-stock, wasm-stock/,
    );
  });

  it('fails with a fix when TFJS_BACKEND=node but @tensorflow/tfjs-node is absent', async () => {
    await expect(selectBackend({ override: 'node', load: nothingInstalled })).rejects.toThrow(
      /TFJS_BACKEND=node but @tensorflow\/tfjs-node does not load .*npm install @tensorflow\/tfjs-node.*or unset TFJS_BACKEND/,
    );
  });

  it('prefers tfjs-node-gpu, then tfjs-node, when they import', async () => {
    const gpu = vi.fn(async () => ({}));
    expect((await selectBackend({ override: '', load: gpu })).name).toBe('node-gpu');
    expect(gpu).toHaveBeenCalledWith('@tensorflow/tfjs-node-gpu');
    const onlyNode = async (pkg: string) => {
      if (pkg === '@tensorflow/tfjs-node') return {};
      throw notInstalled(pkg);
    };
    expect(await selectBackend({ override: '', load: onlyNode })).toEqual({ name: 'node', reason: 'installed' });
  });

  it('falls back quietly when neither package is installed', async () => {
    const log = vi.fn();
    const chosen = await selectBackend({ override: '', load: nothingInstalled, log });
    expect(chosen).toEqual(fallbackBackend());
    expect(['cpu', 'wasm']).toContain(chosen.name);
    expect(log).not.toHaveBeenCalled();
  });

  it('skips, with a log line, a package that is installed but does not load (e.g. no CUDA)', async () => {
    const log = vi.fn();
    const brokenGpu = async (pkg: string) => {
      if (pkg === '@tensorflow/tfjs-node-gpu') throw new Error('libcudart.so.11.0: cannot open shared object file');
      throw notInstalled(pkg);
    };
    expect((await selectBackend({ override: '', load: brokenGpu, log })).name).toBe(fallbackBackend().name);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/tfjs-node-gpu is installed but does not load, skipping it: libcudart/));
  });

  it('falls back on this machine, where tfjs-node cannot be installed (real import), without a log line', async () => {
    await expect(import('@tensorflow/tfjs-node' as string)).rejects.toThrow(/tfjs-node/);
    const log = vi.fn();
    expect((await selectBackend({ override: '', log })).name).toBe(fallbackBackend().name);
    expect(log).not.toHaveBeenCalled();
  });
});

describe('initTfjs', () => {
  it('starts the chosen backend with our kernels, logs its matmul speed once, and is idempotent', async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const [first, second] = await Promise.all([initTfjs({ override: 'wasm', log }), initTfjs({ override: 'cpu', log })]);
    expect(second).toBe(first);
    expect(first).toMatchObject({ backend: 'wasm', tfBackend: 'wasm' });
    expect(first.kernels).toEqual(expect.arrayContaining(['UnsortedSegmentSum', 'BatchMatMul']));
    expect(first.gflops).toBeGreaterThan(0.5);
    expect(tf.getBackend()).toBe('wasm');
    expect(isPatched('BatchMatMul', 'wasm')).toBe(true);
    expect(await initTfjs()).toBe(first);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tfjs backend wasm \(TFJS_BACKEND\) with \d+ of our kernels: matmul [\d.]+ GFLOP\/s$/);
  });
});
