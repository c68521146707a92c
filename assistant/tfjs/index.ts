/**
 * The one TensorFlow.js instance every module uses, and its start-up:
 *
 *   import { tf, initTfjs } from '../tfjs/index.js';
 *   await initTfjs(); // once per process, before the first tensor: picks, patches and starts the backend
 */
export { tf } from './tf.js';
export { BACKENDS, fallbackBackend, initTfjs, selectBackend } from './backend.js';
export type { BackendName, Selection, SelectOptions, TfjsInfo } from './backend.js';
