/**
 * The one registry of the trainer's queues: each name and the zod schema of its job payload
 * (Langfuse's `QueueName` + `QueueJobs`, BullMQ's docs). Producers validate before adding; processors
 * validate before working. Kept free of tfjs and database imports: the server imports it to enqueue.
 */
import { z } from 'zod';

const Uuid = z.string().uuid();

/** Supervised fine-tuning of a site's policy: the run row holds the config, the job only points at it. */
export const SftJobData = z.object({
  /** The `training_runs` row to execute; also the BullMQ job id, so enqueueing a run twice adds one job. */
  runId: Uuid,
  /** The site trained (copied from the run row, for dashboards and log lines). */
  siteId: Uuid,
  /** Last step the processor reported (written with `job.updateData`); absent until training starts. */
  step: z.number().int().min(0).optional(),
});
export type SftJobData = z.infer<typeof SftJobData>;

/** What a finished SFT job returns (kept by BullMQ with the completed job). */
export const SftJobResult = z.object({ modelVersionId: Uuid, steps: z.number().int(), finalLoss: z.number() });
export type SftJobResult = z.infer<typeof SftJobResult>;

export const QUEUES = {
  sft: { name: 'sft', data: SftJobData },
} as const;

export type QueueKey = keyof typeof QUEUES;
