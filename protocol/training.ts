import { z } from 'zod';
import { Uuid } from './widget.js';

/**
 * Training runs and model versions in the staff API (`/v1/admin`), and the config of each kind of run.
 * The server validates a run's config when it is created; the trainer validates it again when the job
 * starts (a row may have been written by an older version).
 */

/** ISO timestamps on the wire. */
const Timestamp = z.string();

export const TrainingKind = z.enum(['sft']);
export type TrainingKind = z.infer<typeof TrainingKind>;
export const TrainingStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type TrainingStatus = z.infer<typeof TrainingStatus>;
export const ModelKind = z.enum(['policy', 'reward']);
export const ModelStatus = z.enum(['ready', 'candidate', 'active', 'retired', 'failed']);
export type ModelStatus = z.infer<typeof ModelStatus>;

/** Error codes specific to training and models (the shared ones are in errors.ts). */
export const TrainingErrorCode = {
  /** The site already has a run of this kind queued or running. */
  runInProgress: 'training_run_in_progress',
  /** The job could not be queued (Redis did not answer); the run is marked failed. */
  queueUnavailable: 'queue_unavailable',
  /** The run already ended (succeeded, failed or cancelled): there is nothing to cancel. */
  runFinished: 'training_run_finished',
  /** Only ready, candidate, active or retired versions can be activated. */
  modelNotActivatable: 'model_not_activatable',
  /** A shared base model is activated for one site: the request must name it ({siteId}). */
  siteRequired: 'site_required',
} as const;

// ---------------------------------------------------------------- SftConfig

/**
 * Shape of a fresh model, used only when SFT does not start from a base model (nanoGPT's GPTConfig).
 * The context length is `SftConfig.blockSize`.
 */
export const FreshModelConfig = z
  .object({
    /** Vocabulary of the byte-level BPE tokenizer trained on the site's corpus (256 bytes + special tokens + merges). A small corpus may yield fewer. */
    vocabSize: z.number().int().min(300).max(65_536).default(2048),
    /** Transformer blocks. */
    nLayer: z.number().int().min(1).max(48).default(2),
    /** Attention heads per block; must divide nEmbd. */
    nHead: z.number().int().min(1).max(64).default(4),
    /** Width of the residual stream. */
    nEmbd: z.number().int().min(8).max(4096).default(128),
    /** Dropout while training; 0 = none (the usual choice for a few hundred steps on a small corpus). */
    dropout: z.number().min(0).lt(1).default(0),
  })
  .strict()
  .refine((m) => m.nEmbd % m.nHead === 0, { message: 'nEmbd must be a multiple of nHead', path: ['nEmbd'] });

/**
 * Supervised fine-tuning of a site's policy (cleanRL-style `Args`: one object, every field documented
 * and defaulted). Examples: each knowledge entry (question → answer) and each SFT line of the site's
 * feedback (staff corrections, chosen comparison answers, up-rated answers), each prompt carrying the
 * top-k knowledge passages retrieved for its question, loss on the answer tokens only.
 */
export const SftConfig = z
  .object({
    /** Optimizer steps (one batch each). */
    steps: z.number().int().min(1).max(1_000_000).default(300),
    /** Examples per step. */
    batchSize: z.number().int().min(1).max(512).default(8),
    /**
     * Tokens per example (prompt + answer); longer answers are cut, then passages and history dropped.
     * Default: the base model's context, or 512 for a fresh model (room for a ~150-token answer and one
     * or two retrieved passages). Must not exceed the base model's context.
     */
    blockSize: z.number().int().min(16).max(8192).optional(),
    /** Peak learning rate (AdamW). 1e-3 suits small fresh models; try ~3e-4 when tuning a larger base. */
    lr: z.number().gt(0).max(1).default(1e-3),
    /** Steps of linear warm-up from 0 to `lr`; then cosine decay to `lr · minLrRatio` at the last step (nanoGPT). */
    warmupSteps: z.number().int().min(0).default(20),
    /** Final learning rate as a share of `lr`. */
    minLrRatio: z.number().min(0).max(1).default(0.1),
    /** Decoupled weight decay on weight matrices (AdamW). */
    weightDecay: z.number().min(0).max(1).default(0.1),
    /** Clip the global gradient norm to this value. */
    gradClip: z.number().gt(0).default(1),
    /** Knowledge passages retrieved into each prompt (the entry itself is usually first: small models learn to copy from context). */
    topKPassages: z.number().int().min(0).max(16).default(3),
    /** Also train on the site's feedback (corrections, chosen comparison answers, up-rated answers). */
    includeFeedback: z.boolean().default(true),
    /**
     * Where the weights and tokenizer start: `auto` = the newest shared base policy when one exists, else
     * a fresh model; `none` = always a fresh model (tokenizer trained on the site's corpus); or the id of a
     * policy version of this site or a shared base.
     */
    base: z
      .string()
      .refine((v) => v === 'auto' || v === 'none' || Uuid.safeParse(v).success, "use 'auto', 'none' or the id of a policy model version")
      .default('auto'),
    /** Shape of a fresh model (ignored when starting from a base). */
    model: FreshModelConfig.prefault({}),
    /** Seed of a fresh model's weights and of the batch order (with dropout 0: same data and config, same model). */
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    /** Write progress (step, loss, a curve point) every this many steps (and after the first and last). */
    logEvery: z.number().int().min(1).default(10),
  })
  .strict();
export type SftConfig = z.infer<typeof SftConfig>;
export type SftConfigInput = z.input<typeof SftConfig>;

// ---------------------------------------------------------------- training runs

// POST /v1/admin/sites/:id/training-runs
export const CreateTrainingRunRequest = z
  .object({
    kind: TrainingKind,
    /** Omitted fields take their defaults; unknown fields are an error. */
    config: SftConfig.prefault({}),
  })
  .strict();
export type CreateTrainingRunRequest = z.infer<typeof CreateTrainingRunRequest>;

/** One logged point of a run: step plus figures such as loss, lr, gradNorm, tokensPerSecond. */
export const CurvePoint = z.record(z.string(), z.number());

/** A run as listed (no curve). */
export const TrainingRunSummary = z.object({
  id: Uuid,
  siteId: Uuid.nullable(),
  kind: z.string(),
  status: TrainingStatus,
  /** The validated config, defaults filled in. */
  config: z.record(z.string(), z.unknown()),
  step: z.number().int(),
  totalSteps: z.number().int(),
  /** Latest figures (loss, lr, tokensPerSecond, …). */
  metrics: z.record(z.string(), z.number()),
  /** What went wrong and what to do, when status is failed (or a retried attempt failed). */
  error: z.string().nullable(),
  /** The BullMQ job (its id is the run id). */
  jobId: z.string().nullable(),
  /** The model version the run produced, once it succeeded. */
  modelVersionId: Uuid.nullable(),
  createdById: Uuid.nullable(),
  createdAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
});
export type TrainingRunSummary = z.infer<typeof TrainingRunSummary>;

// GET /v1/admin/training-runs/:id ; the 202 of POST …/training-runs
export const TrainingRunView = TrainingRunSummary.extend({ curve: z.array(CurvePoint) });
export type TrainingRunView = z.infer<typeof TrainingRunView>;

// GET /v1/admin/sites/:id/training-runs
export const TrainingRunListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TrainingRunListQuery = z.infer<typeof TrainingRunListQuery>;
export const TrainingRunList = z.object({ runs: z.array(TrainingRunSummary) });
export type TrainingRunList = z.infer<typeof TrainingRunList>;

// ---------------------------------------------------------------- model versions

export const ModelVersionView = z.object({
  id: Uuid,
  /** Null for a shared base model (shipped with the project, usable by every site). */
  siteId: Uuid.nullable(),
  /** A shared base model: SFT can start from it, and activating it for a site makes a site version of it. */
  shared: z.boolean(),
  kind: ModelKind,
  status: ModelStatus,
  name: z.string(),
  parentId: Uuid.nullable(),
  trainingRunId: Uuid.nullable(),
  /** sha256 of the checkpoint bytes. */
  artifactSha256: z.string(),
  /** Model shape (and tokenizer size) from the checkpoint header. */
  config: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.number()),
  createdAt: Timestamp,
  activatedAt: Timestamp.nullable(),
});
export type ModelVersionView = z.infer<typeof ModelVersionView>;

// GET /v1/admin/sites/:id/models
export const ModelListQuery = z.object({
  kind: ModelKind.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ModelListQuery = z.infer<typeof ModelListQuery>;
export const ModelList = z.object({ models: z.array(ModelVersionView) });
export type ModelList = z.infer<typeof ModelList>;

// POST /v1/admin/models/:id/activate
/**
 * The body is needed only to activate a shared base model: it names the site that gets a version of it
 * (same checkpoint, parentId = the base). A site's own version needs no body; a siteId sent with one
 * must be its site.
 */
export const ActivateModelRequest = z.object({ siteId: Uuid.optional() }).strict();
export type ActivateModelRequest = z.infer<typeof ActivateModelRequest>;
export const ActivateModelResponse = z.object({
  model: ModelVersionView,
  /** The version of the same site and kind that was active before and is now retired (null: none, or it was this one). */
  retiredId: Uuid.nullable(),
});
export type ActivateModelResponse = z.infer<typeof ActivateModelResponse>;
