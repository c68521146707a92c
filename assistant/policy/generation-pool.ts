/**
 * Worker threads that run the policies, so generation never blocks the server's event loop.
 *
 * Workers start lazily (a server whose sites have no policy never starts one) up to `workers`. A
 * request goes to the worker with the fewest running requests, preferring one already started; inside a
 * worker concurrent requests take turns token by token (see generation-worker.ts). A worker that lacks
 * a request's policy asks for it once (need-model); the pool reads the bytes with the request's `load`
 * and transfers them. A worker that dies fails its requests with a clear error and is replaced by the
 * next request.
 */
import type { Worker } from 'node:worker_threads';
import type { PromptParts } from '../prompt/format.js';
import type { FinishReason, FromWorker, PolicyInfo, Sampling, ToWorker } from './messages.js';
import { siblingModule, startWorkerThread } from './worker-thread.js';

export interface PoolOptions {
  /** Most worker threads (each holds its own copy of the policies it serves). */
  workers: number;
  /** Policies each worker keeps loaded. Default 2 (the active policy and a candidate). */
  cacheSize?: number;
}

export interface GenerateRequest {
  /** Model version id: the cache key in the workers. */
  versionId: string;
  /** Reads the checkpoint bytes, only when a worker does not hold the version yet. */
  load: () => Promise<Uint8Array>;
  parts: PromptParts;
  sampling: Sampling;
  /** Aborting stops the generation between two tokens. */
  signal?: AbortSignal;
}

/** Generation failed (bad checkpoint, worker died, pool closed): the message says which. */
export class GenerationError extends Error {
  override name = 'GenerationError';
}

export interface WorkerStats {
  /** Live tensors in the worker: the loaded policies' weights, plus running requests' caches. */
  numTensors: number;
  /** Version ids held, least recently used first. */
  models: string[];
  /** Requests running. */
  active: number;
  /** Generations finished so far, by how they ended. */
  finished: Record<FinishReason, number>;
}

type Listener = (m: FromWorker) => void;

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  /** Requests awaiting messages, by id. */
  listeners: Map<number, Listener>;
  running: number;
}

export class GenerationPool {
  private readonly slots: Slot[] = [];
  /** The latest `load` given for each version, for need-model. */
  private readonly loaders = new Map<string, () => Promise<Uint8Array>>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) {
      throw new Error(`generation workers ${options.workers}: use a whole number ≥ 1 (GENERATION_WORKERS)`);
    }
  }

  /** Loads a policy into a worker and says what it is; rejects when the checkpoint is unusable. */
  async prepare(versionId: string, load: () => Promise<Uint8Array>): Promise<PolicyInfo> {
    this.loaders.set(versionId, load);
    const slot = await this.pick();
    const reply = await this.request(slot, (id) => ({ type: 'prepare', id, versionId }));
    if (reply.type === 'prepared') return reply.info;
    throw new GenerationError(reply.type === 'failed' ? reply.message : `unexpected ${reply.type}`);
  }

  /** The answer as text pieces (one per generated token, UTF-8-safe); ends early on `signal`. */
  async *generate(req: GenerateRequest): AsyncGenerator<string, void, void> {
    if (req.signal?.aborted) return;
    this.loaders.set(req.versionId, req.load);
    const slot = await this.pick();
    const id = this.nextId++;
    const queue: FromWorker[] = [];
    let wake: (() => void) | undefined;
    slot.listeners.set(id, (m) => {
      queue.push(m);
      wake?.();
    });
    slot.running++;
    const abort = () => slot.worker.postMessage({ type: 'abort', id } satisfies ToWorker);
    req.signal?.addEventListener('abort', abort, { once: true });
    let finished = false;
    try {
      slot.worker.postMessage({ type: 'generate', id, versionId: req.versionId, parts: req.parts, sampling: req.sampling } satisfies ToWorker);
      for (;;) {
        while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const m = queue.shift()!;
        if (req.signal?.aborted) return; // pieces already on their way are not shown
        if (m.type === 'text') yield m.text;
        else if (m.type === 'done') {
          finished = true;
          return;
        } else if (m.type === 'failed') {
          finished = true;
          throw new GenerationError(m.message);
        }
      }
    } finally {
      req.signal?.removeEventListener('abort', abort);
      slot.listeners.delete(id);
      slot.running--;
      // The reader stopped early (visitor gone, error downstream): stop the worker's loop too.
      if (!finished && this.slots.includes(slot)) abort();
    }
  }

  /** Each started worker's figures (tests check that tensors do not pile up). */
  async stats(): Promise<WorkerStats[]> {
    return Promise.all(
      this.slots.map(async (slot) => {
        const m = await this.request(slot, (id) => ({ type: 'stats', id }));
        if (m.type !== 'stats') throw new GenerationError(m.type === 'failed' ? m.message : `unexpected ${m.type}`);
        return { numTensors: m.numTensors, models: m.models, active: m.active, finished: m.finished };
      }),
    );
  }

  /** Stops every worker; running requests fail with "shutting down". */
  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const slot of slots) this.fail(slot, 'the server is shutting down');
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  /** Least busy worker; starts another while fewer than `workers` run and all started ones are busy. */
  private async pick(): Promise<Slot> {
    if (this.closed) throw new GenerationError('the generation pool is closed (the server is shutting down)');
    const idle = [...this.slots].sort((a, b) => a.running - b.running)[0];
    const slot = idle && (idle.running === 0 || this.slots.length >= this.options.workers) ? idle : this.start();
    await slot.ready;
    return slot;
  }

  private start(): Slot {
    const worker = startWorkerThread(siblingModule('generation-worker'), { workerData: { cacheSize: this.options.cacheSize ?? 2 } });
    let onReady!: () => void;
    let onStartFailed!: (err: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      onReady = resolve;
      onStartFailed = reject;
    });
    ready.catch(() => {}); // observed by pick(); a failed start must not be an unhandled rejection
    const slot: Slot = { worker, ready, listeners: new Map(), running: 0 };
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') onReady();
      else if (m.type === 'need-model') void this.sendModel(worker, m.versionId);
      else if ('id' in m) slot.listeners.get(m.id)?.(m);
    });
    const died = (why: string) => {
      const at = this.slots.indexOf(slot);
      if (at === -1) return; // closed on purpose
      this.slots.splice(at, 1);
      const message = `generation worker stopped: ${why}`;
      onStartFailed(new GenerationError(message));
      this.fail(slot, message);
    };
    worker.on('error', (err) => died(err.message));
    worker.on('exit', (code) => died(`exit code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private async sendModel(worker: Worker, versionId: string): Promise<void> {
    const load = this.loaders.get(versionId);
    try {
      if (!load) throw new Error(`no loader for model version ${versionId}`);
      // A copy in its own buffer: the loader's bytes may be a view into a shared (pooled) buffer, and
      // transferring would detach that buffer for everyone else.
      const bytes = (await load()).slice();
      worker.postMessage({ type: 'load', versionId, bytes } satisfies ToWorker, [bytes.buffer]);
    } catch (err) {
      worker.postMessage({ type: 'load-failed', versionId, message: `model version ${versionId} could not be read: ${(err as Error).message}` } satisfies ToWorker);
    }
  }

  /** One request, one reply (prepare, stats). */
  private request(slot: Slot, message: (id: number) => ToWorker): Promise<FromWorker> {
    const id = this.nextId++;
    return new Promise<FromWorker>((resolve) => {
      slot.listeners.set(id, (m) => {
        slot.listeners.delete(id);
        resolve(m);
      });
      slot.worker.postMessage(message(id));
    });
  }

  private fail(slot: Slot, message: string): void {
    for (const [id, listener] of [...slot.listeners]) listener({ type: 'failed', id, message });
  }
}
