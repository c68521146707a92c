/**
 * The SFT job, as a BullMQ sandboxed processor: the Worker runs this file in a child process (see
 * trainer/sandbox.ts), so the worker's own event loop stays free to renew the job's lock while
 * training keeps this process's CPU busy. The child reads DATABASE_URL from its environment, which the
 * Worker sets; tfjs and the database pool are set up once per child and reused for later jobs.
 *
 * Tests and the CLI call `createSftProcessor(...)` directly with their own database.
 */
import { UnrecoverableError } from 'bullmq';
import { type Db, openDatabase } from '../../server/db/client.js';
import { BadInputError, RunCancelledError } from '../errors.js';
import { SftJobData, type SftJobResult } from '../queues.js';
import { markFailed } from '../runs.js';
import { runSft } from '../sft/run-sft.js';

/** What the processor uses of a job: the part of BullMQ's SandboxedJob (and Job) it needs. */
export interface SftJob {
  id?: string;
  data: unknown;
  /** Attempts that failed before this one (BullMQ counts a failure when it happens). */
  attemptsMade: number;
  opts: { attempts?: number };
  updateData(data: SftJobData): Promise<void>;
  updateProgress(progress: number): Promise<void>;
}

export function createSftProcessor(resources: () => Promise<{ db: Db }>, log: (line: string) => void = defaultLog) {
  return async function processSft(job: SftJob): Promise<SftJobResult> {
    const parsed = SftJobData.safeParse(job.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new UnrecoverableError(`sft job ${job.id}: payload ${issue.path.join('.') || '(data)'}: ${issue.message}; enqueue jobs with trainer/producers.ts`);
    }
    const data = parsed.data;
    const { db } = await resources();
    try {
      const outcome = await runSft({
        db,
        runId: data.runId,
        log,
        onProgress: async ({ step, totalSteps }) => {
          // Saved on the job too, so a dashboard (or a retry) sees how far the run got.
          await job.updateData({ ...data, step });
          await job.updateProgress(Math.round((100 * step) / totalSteps));
        },
      });
      return { modelVersionId: outcome.modelVersionId, steps: outcome.steps, finalLoss: outcome.finalLoss };
    } catch (err) {
      if (err instanceof RunCancelledError) {
        log(`run ${data.runId}: cancelled, stopped without saving a model`);
        throw new UnrecoverableError(err.message);
      }
      const bad = err instanceof BadInputError;
      const attempt = job.attemptsMade + 1;
      const final = bad || attempt >= (job.opts.attempts ?? 1);
      const message = bad ? (err as Error).message : `training failed: ${describe(err)}; the trainer log has the details`;
      await markFailed(db, data.runId, message, { final, attempt }).catch((e: unknown) => log(`run ${data.runId}: could not record the failure: ${describe(e)}`));
      log(`run ${data.runId}: attempt ${attempt} failed${final ? '' : ' (will retry)'}: ${describe(err)}`);
      if (bad) throw new UnrecoverableError((err as Error).message);
      throw err;
    }
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function defaultLog(line: string): void {
  console.log(`rapport trainer: ${line}`);
}

/** The child process's resources, made on its first job. */
let shared: Promise<{ db: Db }> | undefined;
function fromEnvironment(): Promise<{ db: Db }> {
  shared ??= (async () => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set in the sandboxed processor: start it through trainer/workers.ts, which passes it');
    return { db: openDatabase(url, { max: 2 }).db };
  })();
  return shared;
}

export default createSftProcessor(fromEnvironment);
