/**
 * Picks, patches and starts the TensorFlow.js backend — the only place that does.
 *
 *   TFJS_BACKEND set             → that one (node-gpu | node | cpu | wasm, or cpu-stock | wasm-stock to
 *                                   measure tfjs without our kernels); an unusable choice is an error
 *   @tensorflow/tfjs-node-gpu    → if it imports (optional peer: needs CUDA and a libtensorflow download)
 *   @tensorflow/tfjs-node        → if it imports (optional peer: its install downloads libtensorflow)
 *   otherwise                    → `cpu` with our kernels when the native addon is built (OpenBLAS +
 *                                   C elementwise, assistant/tfjs/native), else `wasm` with our kernels.
 *                                   Measured on the 2-core box with the reference model (`npm run bench --
 *                                   train-speed --all`, training tokens/s): cpu + native 7.5–10k (PyTorch
 *                                   there: 10–11k), patched wasm 2k, patched cpu without native 71, stock
 *                                   cpu 13, stock wasm cannot train (no UnsortedSegmentSum kernel).
 *
 * Both optional packages are imported dynamically inside try/catch, so their absence costs nothing.
 */
import { patchBackend, unpatchBackend } from './kernels/index.js';
import { CPU_STOCK, ensureCpuStock, quietCpu } from './kernels/registry.js';
import { loadNative } from './native/load.js';
import { matmulGflops } from './probe.js';
import { tf } from './tf.js';

export const BACKENDS = ['node-gpu', 'node', 'cpu', 'wasm', 'cpu-stock', 'wasm-stock'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** The fallback when neither tfjs-node package is installed (see the measurements above). */
export function fallbackBackend(native = loadNative()): { name: BackendName; reason: string } {
  if (native.kernels) return { name: 'cpu', reason: 'no tfjs-node package; native kernels built' };
  return { name: 'wasm', reason: `no tfjs-node package; native kernels ${native.reason}` };
}

const PACKAGES = { 'node-gpu': '@tensorflow/tfjs-node-gpu', node: '@tensorflow/tfjs-node' } as const;

export interface SelectOptions {
  /** Forced backend; default `process.env.TFJS_BACKEND`. Empty means "pick". */
  override?: string;
  /** Imports an optional package (tests inject one); default: dynamic `import()`. */
  load?: (pkg: string) => Promise<unknown>;
  /** Where to report a package that is installed but fails to load. */
  log?: (line: string) => void;
}

export interface Selection {
  name: BackendName;
  /** Why: "TFJS_BACKEND", "installed", or the fallback's reason. */
  reason: string;
}

const defaultLoad = (pkg: string): Promise<unknown> => import(pkg);
const defaultLog = (line: string) => console.log(`rapport: ${line}`);

/** True when `err` says `pkg` itself is absent (Node: ERR_MODULE_NOT_FOUND; vite/vitest: "Could not resolve"). */
function isNotInstalled(err: unknown, pkg: string): boolean {
  const e = err as { code?: string; message?: string };
  const message = e?.message ?? '';
  if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') return message.includes(pkg);
  return message.includes(`Could not resolve "${pkg}"`);
}

/** Decides the backend (and imports tfjs-node(-gpu) when that is the answer); does not start it. */
export async function selectBackend(options: SelectOptions = {}): Promise<Selection> {
  const override = (options.override ?? process.env.TFJS_BACKEND ?? '').trim();
  const load = options.load ?? defaultLoad;
  const log = options.log ?? defaultLog;
  if (override) {
    if (!(BACKENDS as readonly string[]).includes(override)) {
      throw new Error(`TFJS_BACKEND=${override} is not a backend: use one of ${BACKENDS.join(', ')}, or unset it`);
    }
    const name = override as BackendName;
    if (name === 'node' || name === 'node-gpu') {
      try {
        await load(PACKAGES[name]);
      } catch (err) {
        throw new Error(
          `TFJS_BACKEND=${name} but ${PACKAGES[name]} does not load (${(err as Error).message.split('\n')[0]}): ` +
            `install it (npm install ${PACKAGES[name]}; its install script downloads libtensorflow, see ` +
            `TFJS_NODE_CDN_STORAGE for a mirror) or unset TFJS_BACKEND`,
        );
      }
    }
    return { name, reason: 'TFJS_BACKEND' };
  }
  for (const name of ['node-gpu', 'node'] as const) {
    try {
      await load(PACKAGES[name]);
      return { name, reason: 'installed' };
    } catch (err) {
      if (!isNotInstalled(err, PACKAGES[name])) {
        log(`${PACKAGES[name]} is installed but does not load, skipping it: ${(err as Error).message.split('\n')[0]}`);
      }
    }
  }
  return fallbackBackend();
}

export interface TfjsInfo {
  /** Our name for it (see BACKENDS). */
  backend: BackendName;
  /** tfjs's name for it (`tf.getBackend()`): `tensorflow` for both tfjs-node packages. */
  tfBackend: string;
  /** Kernels of ours registered on it. */
  kernels: string[];
  /** Matmul speed measured at start-up. */
  gflops: number;
}

/** Starts backend `name` (registering our kernels first) and returns tfjs's name for it and the kernels. */
async function start(name: BackendName): Promise<{ tfBackend: string; kernels: string[] }> {
  ensureCpuStock();
  let tfBackend: string = name;
  let kernels: string[] = [];
  switch (name) {
    case 'node-gpu':
    case 'node':
      tfBackend = 'tensorflow'; // registered by the package when it was imported
      break;
    case 'wasm':
    case 'wasm-stock':
      await import('@tensorflow/tfjs-backend-wasm'); // registers `wasm`
      tfBackend = 'wasm';
      if (name === 'wasm') kernels = patchBackend('wasm');
      else unpatchBackend('wasm');
      break;
    case 'cpu':
      kernels = patchBackend('cpu', loadNative().kernels);
      break;
    case 'cpu-stock':
      tfBackend = CPU_STOCK;
      break;
  }
  if (!(await tf.setBackend(tfBackend))) throw new Error(`tfjs backend ${tfBackend} did not initialize`);
  await tf.ready();
  quietCpu();
  return { tfBackend, kernels };
}

let started: Promise<TfjsInfo> | undefined;

/**
 * Selects, patches and starts the backend, then logs one line with its matmul speed. Idempotent: every
 * call returns the first call's result (options of later calls are ignored).
 */
export function initTfjs(options: SelectOptions = {}): Promise<TfjsInfo> {
  started ??= (async () => {
    const log = options.log ?? defaultLog;
    const { name, reason } = await selectBackend(options);
    const { tfBackend, kernels } = await start(name);
    const gflops = Math.round(matmulGflops() * 10) / 10;
    const patched = kernels.length ? ` with ${kernels.length} of our kernels` : '';
    log(`tfjs backend ${name} (${reason})${patched}: matmul ${gflops} GFLOP/s`);
    return { backend: name, tfBackend, kernels, gflops };
  })();
  started.catch(() => {
    started = undefined; // a failed start may be retried (e.g. after fixing TFJS_BACKEND)
  });
  return started;
}
