/**
 * Replacing stock kernels while keeping the originals: patched kernels are registered under the stock
 * backend names (`cpu`, `wasm`) so the model sees ordinary backends; the kernel each one replaced stays
 * reachable (`stockKernel`) for delegation, and a pristine copy of the stock cpu backend is registered
 * as `cpu-stock`, the reference that tests and benchmarks compare against.
 */
import { tf } from '../tf.js';

/** Name of the untouched copy of tfjs's cpu backend. */
export const CPU_STOCK = 'cpu-stock';

const stock = new Map<string, tf.KernelConfig>();
const ours = new WeakSet<tf.KernelConfig>();
const key = (kernelName: string, backendName: string) => `${backendName}/${kernelName}`;

/**
 * Registers `config`, replacing the stock kernel of that name if there is one. The stock kernel's
 * `setupFunc` still runs (wasm kernels bind their C functions there, and `stockKernel` may delegate).
 */
export function replaceKernel(config: tf.KernelConfig): void {
  const { kernelName, backendName } = config;
  ensureCpuStock();
  const k = key(kernelName, backendName);
  const current = tf.getKernel(kernelName, backendName);
  if (current && !ours.has(current)) stock.set(k, current);
  if (current) tf.unregisterKernel(kernelName, backendName);
  const original = stock.get(k);
  const mine = config.setupFunc;
  const registered: tf.KernelConfig = {
    ...config,
    setupFunc:
      original?.setupFunc || mine
        ? (backend) => {
            original?.setupFunc?.(backend);
            mine?.(backend);
          }
        : undefined,
  };
  ours.add(registered);
  tf.registerKernel(registered);
}

/** The stock kernel `replaceKernel` displaced, else the registered one. */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig {
  const k = stock.get(key(kernelName, backendName)) ?? tf.getKernel(kernelName, backendName);
  if (!k) throw new Error(`tfjs has no '${kernelName}' kernel for backend '${backendName}'`);
  return k;
}

/** True when the kernel registered for (kernelName, backendName) is one of ours. */
export function isPatched(kernelName: string, backendName: string): boolean {
  const k = tf.getKernel(kernelName, backendName);
  return k !== undefined && ours.has(k);
}

/** Puts every stock kernel of `backendName` back (and drops kernels tfjs never had). */
export function restoreStockKernels(backendName: string): void {
  for (const config of tf.getKernelsForBackend(backendName)) {
    if (ours.has(config)) tf.unregisterKernel(config.kernelName, backendName);
  }
  for (const [k, config] of stock) {
    if (config.backendName !== backendName) continue;
    tf.registerKernel(config);
    stock.delete(k);
  }
}

/**
 * Registers `cpu-stock`: tfjs's cpu backend class with a copy of every stock cpu kernel, taken before
 * any is replaced. Idempotent. Priority -1, so tfjs never picks it by itself.
 */
export function ensureCpuStock(): void {
  if (tf.findBackendFactory(CPU_STOCK)) return;
  const factory = tf.findBackendFactory('cpu');
  if (!factory) throw new Error('the tfjs cpu backend is not registered: import @tensorflow/tfjs first');
  tf.registerBackend(CPU_STOCK, factory, -1);
  for (const config of tf.getKernelsForBackend('cpu')) {
    if (ours.has(config)) continue;
    tf.registerKernel({ ...config, backendName: CPU_STOCK });
  }
  for (const [, config] of stock) {
    if (config.backendName === 'cpu') tf.registerKernel({ ...config, backendName: CPU_STOCK });
  }
}

/**
 * The active cpu backend (patched or stock) stops printing tfjs's "install tfjs-node" advice on first
 * use: the backend was chosen knowingly (backend.ts).
 */
export function quietCpu(): void {
  const name = tf.getBackend();
  if (name === 'cpu' || name === CPU_STOCK) (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
}
