import * as tf from '@tensorflow/tfjs';

/**
 * The named parameters of one model, like a PyTorch state_dict: names ("h.0.attn.cAttn.w") are ours,
 * stable across processes, and used by checkpoints; the tf.Variable names are left to tfjs because they
 * must be unique in the whole engine (two models of the same shape would clash).
 *
 * Seeding: each parameter's initial values depend only on (seed, its name), so adding a parameter does
 * not change the others' values.
 */
export class ParamStore {
  private readonly vars = new Map<string, tf.Variable>();

  constructor(private readonly seed?: number) {
    if (seed !== undefined && !Number.isInteger(seed)) {
      throw new Error(`seed ${seed} is not an integer: pass an integer seed or none for a random init`);
    }
  }

  /** A trainable parameter drawn from N(0, std²). */
  normal(name: string, shape: number[], std: number): tf.Variable {
    const seed = this.seed === undefined ? undefined : mixSeed(this.seed, name);
    return this.add(name, tf.randomNormal(shape, 0, std, 'float32', seed));
  }

  /** A trainable parameter filled with one value (0 for biases, 1 for layer-norm gains). */
  fill(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, tf.fill(shape, value, 'float32'));
  }

  named(): ReadonlyMap<string, tf.Variable> {
    return this.vars;
  }

  list(): tf.Variable[] {
    return [...this.vars.values()];
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }

  private add(name: string, init: tf.Tensor): tf.Variable {
    if (this.vars.has(name)) throw new Error(`parameter ${name} is registered twice: give each a unique name`);
    const v = tf.variable(init, true);
    init.dispose(); // the variable holds its own reference to the data
    this.vars.set(name, v);
    return v;
  }
}

/** FNV-1a of the name folded into the seed: a cheap, stable per-parameter seed. */
function mixSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Copies values from `from` into `to` for the given names (shapes must match). */
export function copyParams(
  from: ReadonlyMap<string, tf.Variable>,
  to: ReadonlyMap<string, tf.Variable>,
  names: Iterable<string>,
): void {
  for (const name of names) {
    const src = from.get(name);
    const dst = to.get(name);
    if (!src || !dst) throw new Error(`parameter ${name} is missing on one side: both models need the same trunk`);
    if (!tf.util.arraysEqual(src.shape, dst.shape)) {
      throw new Error(`parameter ${name} is [${src.shape}] here and [${dst.shape}] there: use models of one config`);
    }
    dst.assign(src);
  }
}
