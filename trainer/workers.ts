/**
 * Starts the trainer's BullMQ workers: one Worker per queue, each with a sandboxed processor file,
 * its own Redis connection, and a small database pool for the failure backstop below.
 */
import { Worker } from 'bullmq';
import { openDatabase } from '../server/db/client.js';
import { bullPrefix, closeConnection, workerConnection } from './connection.js';
import { QUEUES, SftJobData, type SftJobResult } from './queues.js';
import { markFailed } from './runs.js';
import { processorFile, sandboxExecArgv } from './sandbox.js';

export interface StartWorkersOptions {
  redisUrl: string;
  redisPrefix: string;
  /** Passed to the sandboxed processes as DATABASE_URL. */
  databaseUrl: string;
  /** SFT jobs run at once by this process (each in its own child process). Training is CPU-bound: 1 per few cores. */
  sftConcurrency?: number;
  log?: (line: string) => void;
}

export interface RunningWorkers {
  workers: Worker[];
  /** Stops taking jobs, waits for running ones to finish, then closes connections. */
  close(): Promise<void>;
}

export function startWorkers(o: StartWorkersOptions): RunningWorkers {
  const log = o.log ?? ((line: string) => console.log(`rapport trainer: ${line}`));
  const connection = workerConnection(o.redisUrl);
  const database = openDatabase(o.databaseUrl, { max: 2 });
  const sft = new Worker<SftJobData, SftJobResult>(QUEUES.sft.name, processorFile('sft'), {
    connection,
    prefix: bullPrefix(o.redisPrefix),
    concurrency: o.sftConcurrency ?? 1,
    // A child process, not a worker thread: its own heap for the tensors, and a crash in native
    // kernel code takes down only the child (the job fails and is retried), never the worker.
    useWorkerThreads: false,
    workerForkOptions: {
      execArgv: sandboxExecArgv(),
      env: { ...process.env, DATABASE_URL: o.databaseUrl },
    },
  });
  sft.on('active', (job) => log(`sft job ${job.id} started (attempt ${job.attemptsStarted})`));
  sft.on('completed', (job, result) => log(`sft job ${job.id} done: model version ${result.modelVersionId}, loss ${result.finalLoss.toFixed(3)}`));
  sft.on('failed', (job, err) => {
    if (!job) return;
    log(`sft job ${job.id} failed: ${err.message}`);
    const data = SftJobData.safeParse(job.data);
    if (!data.success) return; // a payload that names no run has no row to update
    // Backstop for a child that died (out of memory, killed) before recording its failure: the run
    // would otherwise stay "running" forever. A run the processor already updated is left alone.
    const final = err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    markFailed(database.db, data.data.runId, `the training process ended unexpectedly (${err.message}): check the trainer's memory and logs`, {
      final,
      attempt: job.attemptsMade,
      onlyIfRunning: true,
    }).catch((e: unknown) => log(`could not mark run ${data.data.runId} failed: ${(e as Error).message}`));
  });
  sft.on('error', (err) => log(`sft worker: ${err.message}`));
  return {
    workers: [sft],
    async close() {
      await sft.close();
      await closeConnection(connection);
      await database.close();
    },
  };
}
