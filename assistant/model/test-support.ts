/** Shared by this folder's tests: tiny configs and the cpu backend (assistant/tfjs picks it elsewhere). */
import * as tf from '@tensorflow/tfjs';
import type { GptConfigInput } from './config.js';

export const TINY: GptConfigInput = { vocabSize: 16, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16 };

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

export function ids(rows: number[][]): tf.Tensor2D {
  return tf.tensor2d(rows, [rows.length, rows[0].length], 'int32');
}

/** Runs fn and returns its result together with how many tensors it left behind. */
export function leaked<T>(fn: () => T): { result: T; leaked: number } {
  const before = tf.memory().numTensors;
  const result = fn();
  return { result, leaked: tf.memory().numTensors - before };
}
