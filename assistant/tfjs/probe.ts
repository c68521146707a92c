/**
 * Start-up probe: the matmul speed of the active backend, so a log line shows what the machine gives
 * (a 256×256 product, ~34 MFLOP, repeated for ~100 ms after a warm-up; the best run counts).
 */
import { tf } from './tf.js';

export function matmulGflops(size = 256, budgetMs = 100): number {
  const flops = 2 * size ** 3;
  const a = tf.randomNormal([size, size]);
  const b = tf.randomNormal([size, size]);
  try {
    const once = () => {
      const t0 = performance.now();
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
      return performance.now() - t0;
    };
    once(); // warm-up: first calls compile, pack and allocate
    let best = Infinity;
    const start = performance.now();
    for (let i = 0; i < 50 && (i < 3 || performance.now() - start < budgetMs); i++) best = Math.min(best, once());
    return flops / (best * 1e6);
  } finally {
    a.dispose();
    b.dispose();
  }
}
