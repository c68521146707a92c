import { beforeAll, describe, expect, it } from 'vitest';
import { BINARY, loadNative, UNARY } from '../native/load.js';
import { tf } from '../tf.js';
import { maxErrorVsStock, preparePatched, randomTensor, randomValues, rng, withGrads } from './compare.js';
import { isPatched } from './registry.js';

const native = loadNative();
const TOL = 1e-5;

/** Shape pairs: same shape, bias, two-sided broadcast, scalars, size-1 axes, LayerNorm's [.., 1], empty. */
const PAIRS: [number[], number[]][] = [
  [[5, 7], [5, 7]],
  [[2, 3, 4], [4]],
  [[2, 1, 4], [3, 1]],
  [[], [3, 4]],
  [[3, 4], []],
  [[1], [6]],
  [[16, 8, 8], [16, 8, 1]],
  [[4, 1, 3, 1], [1, 5, 1, 2]],
  [[0, 3], [3]],
  [[300, 130], [130]], // above the threading threshold
];

/** Positive values in [lo, hi) (for divisors, logs, roots, pow bases). */
function positive(seed: number, shape: number[], lo = 0.5, hi = 1.5): tf.Tensor {
  const v = randomValues(rng(seed), shape.reduce((a, n) => a * n, 1)).map((x) => lo + ((x + 1) / 2) * (hi - lo));
  return tf.tensor(v, shape);
}

const binaryOps: Record<keyof typeof BINARY, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
  Add: tf.add,
  Sub: tf.sub,
  Multiply: tf.mul,
  RealDiv: tf.div,
  Maximum: tf.maximum,
  Minimum: tf.minimum,
  SquaredDifference: tf.squaredDifference,
  Pow: tf.pow,
};

describe.skipIf(!native.kernels)('elementwise kernels on cpu (native)', () => {
  beforeAll(async () => {
    await preparePatched('cpu', native.kernels);
    for (const k of [...Object.keys(BINARY), ...Object.keys(UNARY).filter((k) => k !== 'PowScalar')]) {
      expect(isPatched(k, 'cpu'), k).toBe(true);
    }
  });

  for (const [name, op] of Object.entries(binaryOps)) {
    it(`${name} matches stock over broadcast shapes: values and gradients`, async () => {
      for (const [i, [sa, sb]] of PAIRS.entries()) {
        const err = await maxErrorVsStock('cpu', () => {
          // Divisors and pow bases stay positive (away from 0, where gradients blow up).
          const a = name === 'Pow' ? positive(i, sa) : randomTensor(i, sa);
          const b = name === 'RealDiv' ? positive(i + 50, sb) : randomTensor(i + 50, sb, name === 'Pow' ? 2 : 1);
          // tfjs's gradients of these do not reduce broadcast axes (stock throws): forward only.
          const noBroadcastGrad = ['SquaredDifference', 'Maximum', 'Minimum'].includes(name);
          if (noBroadcastGrad && sa.join() !== sb.join()) return op(a, b);
          return withGrads((x, y) => op(x!, y!), [a, b]);
        });
        expect(err, `${sa} ${name} ${sb}`).toBeLessThan(TOL);
      }
    });
  }

  it('Pow by a constant (GELU x³, x², x^-1.5) matches stock, negative bases included', async () => {
    for (const p of [3, 2, 1, 0.5, -1.5]) {
      const err = await maxErrorVsStock('cpu', () => {
        const x = p === 0.5 || p === -1.5 ? positive(p * 10, [64, 33]) : randomTensor(7, [64, 33], 3);
        return withGrads((t) => tf.pow(t!, p), [x]);
      });
      expect(err, `x^${p}`).toBeLessThan(TOL);
    }
  });

  it('keeps NaN and infinities where stock has them', async () => {
    const err = await maxErrorVsStock('cpu', () => {
      const a = tf.tensor1d([NaN, 1, -Infinity, Infinity, 0, -0, 2]);
      const b = tf.tensor1d([1, NaN, 5, Infinity, 0, 3, -Infinity]);
      return [tf.maximum(a, b), tf.minimum(a, b), tf.div(a, b), tf.sub(a, b), tf.exp(a), tf.log(a), tf.sqrt(a)];
    });
    expect(err).toBeLessThan(TOL); // a NaN or infinity in the wrong place would make it Infinity
  });

  const unaryOps: [keyof typeof UNARY, (x: tf.Tensor) => tf.Tensor, 'any' | 'positive'][] = [
    ['Exp', tf.exp, 'any'],
    ['Tanh', tf.tanh, 'any'],
    ['Sqrt', tf.sqrt, 'positive'],
    ['Rsqrt', tf.rsqrt, 'positive'],
    ['Square', tf.square, 'any'],
    ['Neg', tf.neg, 'any'],
    ['Log', tf.log, 'positive'],
    ['Reciprocal', tf.reciprocal, 'positive'],
    ['Abs', tf.abs, 'any'],
    ['Sigmoid', tf.sigmoid, 'any'],
  ];
  for (const [name, op, domain] of unaryOps) {
    it(`${name} matches stock: values and gradient`, async () => {
      for (const [i, shape] of [[1000], [3, 5, 7], [], [0], [200, 300]].entries()) {
        const err = await maxErrorVsStock('cpu', () => {
          const x = domain === 'positive' ? positive(i, shape, 0.05, 4) : randomTensor(i, shape, 4);
          return withGrads((t) => op(t!), [x]);
        });
        expect(err, `${name} [${shape}]`).toBeLessThan(TOL);
      }
    });
  }

  it('reads float32 tensors cast from bool and int32 (stored as Uint8Array/Int32Array)', async () => {
    const err = await maxErrorVsStock('cpu', () => {
      const mask = tf.greaterEqual(randomTensor(1, [4, 6]), 0).cast('float32');
      const ints = tf.tensor2d([1, -2, 3, 4, 5, -6], [2, 3], 'int32').cast('float32');
      return [tf.mul(mask, randomTensor(2, [4, 6])), tf.add(ints, 0.5), tf.exp(ints), tf.sum(mask, 1), tf.transpose(mask), tf.matMul(ints, ints, false, true)];
    });
    expect(err).toBeLessThan(TOL);
  });

  it('Exp, Tanh and Sigmoid stay within 1e-6 of stock over their whole range (masks of -1e9 and denormals included)', async () => {
    await tf.setBackend('cpu');
    const xs = Float32Array.from({ length: 20001 }, (_, i) => -100 + i / 100);
    const cases: [string, (x: tf.Tensor) => tf.Tensor, (v: number) => number][] = [
      ['exp', tf.exp, Math.exp],
      ['tanh', tf.tanh, Math.tanh],
      ['sigmoid', tf.sigmoid, (v) => 1 / (1 + Math.exp(-v))],
    ];
    for (const [name, op, ref] of cases) {
      const got = op(tf.tensor1d([...xs, -1e9, 1e9])).dataSync();
      const want = [...xs, -1e9, 1e9].map((v) => Math.fround(ref(v)));
      // Relative error, except among float32 denormals (below 2^-126), whose spacing is 1.4e-45.
      const err = (e: number, g: number) => (e === g ? 0 : Math.abs(e) < 2 ** -126 ? Math.abs(g - e) / 1e-38 : Math.abs(g - e) / Math.abs(e));
      const worst = want.reduce((w, e, i) => Math.max(w, err(e, got[i]!)), 0);
      expect(worst, name).toBeLessThan(1e-6);
    }
  });

  it('leaves int32 arithmetic to the stock kernels', async () => {
    const err = await maxErrorVsStock('cpu', () => {
      const a = tf.tensor1d([1, 2, 3], 'int32');
      return [tf.add(a, tf.scalar(2, 'int32')).cast('float32'), tf.mul(a, a).cast('float32'), tf.neg(a).cast('float32')];
    });
    expect(err).toBe(0);
  });
});
