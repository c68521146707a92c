/**
 * The single `@tensorflow/tfjs` namespace. Every module imports `tf` from here (or from `./index.js`)
 * so that kernels registered by this folder act on the same engine the model uses.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
