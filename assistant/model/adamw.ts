import * as tf from '@tensorflow/tfjs';

export interface AdamWOptions {
  /** Learning rate, or a schedule of the 1-based step number (warmup, cosine decay…). */
  lr: number | ((step: number) => number);
  /** Adam's moment decay rates. Default [0.9, 0.95] (nanoGPT, GPT-3). */
  betas?: [number, number];
  /** Added to √v̂. Default 1e-8. */
  eps?: number;
  /** Decoupled weight decay (AdamW), applied to matrices only, not to biases and LayerNorm. Default 0. */
  weightDecay?: number;
}

/**
 * AdamW (Loshchilov & Hutter 2019; PyTorch's update order): p ← p − lr·wd·p, then the Adam step.
 * Written here because tf.train.adam has neither decoupled weight decay nor a learning-rate schedule;
 * the moments are ordinary variables we own and free.
 */
export class AdamW {
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private t = 0;
  private readonly beta1: number;
  private readonly beta2: number;

  constructor(
    readonly params: readonly tf.Variable[],
    private readonly options: AdamWOptions,
  ) {
    [this.beta1, this.beta2] = options.betas ?? [0.9, 0.95];
    for (const b of [this.beta1, this.beta2]) {
      if (!(b >= 0 && b < 1)) throw new Error(`beta ${b}: Adam's betas must be in [0, 1)`);
    }
    if ((options.weightDecay ?? 0) < 0) throw new Error(`weightDecay ${options.weightDecay}: use ≥ 0`);
    // tf.variable copies its initial value: build the zeros inside tidy so they are freed.
    this.m = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    this.v = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.t;
  }

  /** Learning rate of the next step. */
  currentLr(): number {
    const { lr } = this.options;
    const value = typeof lr === 'number' ? lr : lr(this.t + 1);
    if (!(value >= 0) || !Number.isFinite(value)) throw new Error(`learning rate ${value} at step ${this.t + 1}`);
    return value;
  }

  /** One update with grads[i] for params[i] (undefined: that parameter got no gradient; left as is). */
  apply(grads: readonly (tf.Tensor | undefined)[]): void {
    const lr = this.currentLr();
    this.t += 1;
    const { beta1: b1, beta2: b2 } = this;
    const eps = this.options.eps ?? 1e-8;
    const wd = this.options.weightDecay ?? 0;
    const bc1 = 1 - b1 ** this.t;
    const bc2 = 1 - b2 ** this.t;
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const g = grads[i];
        if (!g) return;
        const m = this.m[i].mul(b1).add(g.mul(1 - b1));
        const v = this.v[i].mul(b2).add(g.square().mul(1 - b2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        const update = m.div(bc1).div(v.div(bc2).sqrt().add(eps)).mul(lr);
        const decayed = wd > 0 && p.rank >= 2 ? p.mul(1 - lr * wd) : p;
        p.assign(decayed.sub(update));
      });
    });
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}

/**
 * Scales gradients so their global L2 norm is at most maxNorm (PyTorch's clip_grad_norm_).
 * Returns the clipped gradients and the norm before clipping.
 */
export function clipByGlobalNorm(
  grads: readonly tf.Tensor[],
  maxNorm: number,
): { grads: tf.Tensor[]; norm: tf.Scalar } {
  return tf.tidy(() => {
    const norm = tf.addN(grads.map((g) => g.square().sum())).sqrt() as tf.Scalar;
    const scale = tf.minimum(1, tf.div(maxNorm, norm.add(1e-6)));
    return { grads: grads.map((g) => g.mul(scale)), norm };
  });
}
