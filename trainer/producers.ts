/**
 * One producer per queue, each with its retry policy (Langfuse's `getQueue` + BullMQ's job options).
 * The job id is the training run id: adding the same run twice leaves one job (BullMQ ignores an add
 * whose id exists), so a retried HTTP request or a crash between "row written" and "job added" is safe.
 */
import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type SftJobData, type SftJobResult } from './queues.js';

export interface SftProducer {
  readonly queue: Queue<SftJobData, SftJobResult>;
  /** Adds the run's job (id = run id); returns the existing job when it was already added. */
  enqueue(data: SftJobData): Promise<Job<SftJobData, SftJobResult>>;
}

export interface Producers {
  sft: SftProducer;
  /** Closes the queues (not the connection, which the caller owns). */
  close(): Promise<void>;
}

export interface ProducerOptions {
  connection: Redis;
  prefix: string;
  /** Connection errors of the queues (BullMQ prints them to stderr when nobody listens). */
  onError?: (err: Error) => void;
}

export function createSftProducer({ connection, prefix, onError }: ProducerOptions): SftProducer {
  // skipWaitingForReady: with Redis down, add() fails after the connection's retries instead of
  // waiting for a connection forever (an HTTP request must answer).
  const queue = new Queue<SftJobData, SftJobResult>(QUEUES.sft.name, { connection, prefix, skipWaitingForReady: true });
  if (onError) queue.on('error', onError);
  return {
    queue,
    async enqueue(data) {
      const payload = QUEUES.sft.data.parse(data);
      return queue.add(QUEUES.sft.name, payload, {
        jobId: payload.runId,
        // One retry: a crashed or stalled training process (OOM, deploy) restarts the run from step 0.
        // Bad input fails at once (UnrecoverableError) and is not retried.
        attempts: 2,
        backoff: { type: 'exponential', delay: 15_000 },
        // The run row is the record of a run; BullMQ's copy is only kept for inspection.
        removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
        removeOnFail: { age: 30 * 24 * 3600 },
      });
    },
  };
}

export function createProducers(options: ProducerOptions): Producers {
  const sft = createSftProducer(options);
  return {
    sft,
    close: () => sft.queue.close(),
  };
}
