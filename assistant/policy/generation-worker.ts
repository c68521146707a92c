/**
 * A generation worker thread (started by GenerationPool). Holds a few policies (PolicyCache), builds
 * each prompt with the policy's own tokenizer and layout, and streams the answer back as text pieces.
 *
 * Concurrency: every request is its own async task; generateStream yields to this thread's event loop
 * after each token, so concurrent requests advance token by token in turn (round robin) and an abort
 * message is seen between two tokens. Batching rows into one forward pass would be faster per token,
 * but requests arrive at different times and the decoder advances its rows in lockstep from a common
 * start, so interleaving is what keeps a new visitor's first token from waiting for others' answers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateStream } from '../model/index.js';
import { answerProcessor } from './answer-processor.js';
import { initTfjs, tf } from '../tfjs/index.js';
import { loadNative } from '../tfjs/native/load.js';
import { StreamDecoder } from '../tokenizer/index.js';
import { LoadedPolicy } from './loaded-policy.js';
import type { FinishReason, FromWorker, ToWorker } from './messages.js';
import { PolicyCache } from './policy-cache.js';

export interface WorkerOptions {
  /** Policies kept loaded in this worker. */
  cacheSize: number;
}

const port = parentPort;
if (!port) throw new Error('generation-worker.ts runs as a worker thread: start it with GenerationPool');
const options = workerData as WorkerOptions;
const send = (m: FromWorker) => port.postMessage(m);

const info = await initTfjs({ log: () => {} });
// Decoding multiplies one row at a time: a second OpenBLAS thread per product only adds wake-ups, and
// with several workers (or the trainer) on the same cores it oversubscribes them (see tfjs/README.md).
// An explicit OPENBLAS_NUM_THREADS wins. (The setting is per process: it holds for every worker.)
if (!process.env.OPENBLAS_NUM_THREADS) loadNative().kernels?.threads(1);

/** Bytes requested from the main thread, by version id. */
const awaitingBytes = new Map<string, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();
const cache = new PolicyCache<LoadedPolicy>(options.cacheSize, async (versionId) => {
  const bytes = await new Promise<Uint8Array>((resolve, reject) => {
    awaitingBytes.set(versionId, { resolve, reject });
    send({ type: 'need-model', versionId });
  });
  return LoadedPolicy.fromBytes(bytes);
});
/**
 * Control characters a byte-level model can emit (NUL, escape, …): never meant for a visitor, and
 * Postgres refuses NUL in text. Newlines and tabs stay.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const visible = (text: string) => text.replace(CONTROL, '');

/** Running generations, by request id, to abort them. */
const running = new Map<number, AbortController>();
/** Finished generations by how they ended. */
const finished: Record<FinishReason, number> = { stop: 0, length: 0, aborted: 0 };

async function prepare(id: number, versionId: string): Promise<void> {
  try {
    const lease = await cache.acquire(versionId);
    send({ type: 'prepared', id, info: lease.policy.info });
    lease.release();
  } catch (err) {
    send({ type: 'failed', id, message: (err as Error).message });
  }
}

async function generate(m: Extract<ToWorker, { type: 'generate' }>): Promise<void> {
  const abort = new AbortController();
  running.set(m.id, abort);
  let lease: Awaited<ReturnType<typeof cache.acquire>> | undefined;
  try {
    lease = await cache.acquire(m.versionId);
    const { model, tokenizer, stops } = lease.policy;
    const prompt = lease.policy.prompt(m.parts, m.sampling.maxNewTokens);
    const decoder = new StreamDecoder(tokenizer);
    const stream = generateStream(model, prompt.ids, {
      maxNewTokens: prompt.maxNewTokens,
      stop: stops,
      temperature: m.sampling.temperature,
      topK: m.sampling.topK,
      topP: m.sampling.topP,
      seed: m.sampling.seed,
      logitsProcessors: [answerProcessor({ tokenizer, endId: lease.policy.format.end, passages: m.parts.passages }, m.sampling)],
      signal: abort.signal,
    });
    let tokens = 0;
    for (;;) {
      const next = await stream.next();
      if (next.done) {
        const tail = visible(decoder.end());
        if (tail && next.value !== 'aborted') send({ type: 'text', id: m.id, text: tail });
        finished[next.value]++;
        send({ type: 'done', id: m.id, finish: next.value, tokens, promptTokens: prompt.ids.length });
        return;
      }
      tokens++;
      const text = visible(decoder.push(next.value));
      if (text) send({ type: 'text', id: m.id, text });
    }
  } catch (err) {
    send({ type: 'failed', id: m.id, message: (err as Error).message });
  } finally {
    running.delete(m.id);
    lease?.release();
  }
}

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'prepare':
      void prepare(m.id, m.versionId);
      break;
    case 'generate':
      void generate(m);
      break;
    case 'load':
    case 'load-failed': {
      const waiting = awaitingBytes.get(m.versionId);
      awaitingBytes.delete(m.versionId);
      if (m.type === 'load') waiting?.resolve(m.bytes);
      else waiting?.reject(new Error(m.message));
      break;
    }
    case 'abort':
      running.get(m.id)?.abort();
      break;
    case 'stats':
      send({ type: 'stats', id: m.id, numTensors: tf.memory().numTensors, models: cache.ids(), active: running.size, finished: { ...finished } });
      break;
  }
});

send({ type: 'ready', backend: info.backend });
