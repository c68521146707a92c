/**
 * The SFT optimisation loop, free of databases and queues: batches → masked next-token loss → AdamW
 * with a warm-up + cosine schedule and global-norm clipping. Reports a point every `logEvery` steps
 * (and after the first and the last) and awaits the callback, which is where progress gets written.
 */
import { type Gpt, makeTrainer } from '../../assistant/model/index.js';
import { tf } from '../../assistant/tfjs/index.js';
import { BadInputError } from '../errors.js';
import { BatchSampler, collate } from './batches.js';
import type { Example } from './examples.js';
import { lrAt } from './schedule.js';

export interface LoopConfig {
  steps: number;
  batchSize: number;
  lr: number;
  warmupSteps: number;
  minLrRatio: number;
  weightDecay: number;
  gradClip: number;
  seed: number;
  logEvery: number;
}

/** One logged point: the run row's metrics and one entry of its curve. */
export interface LogPoint {
  step: number;
  /** Mean training loss (nats per answer token) over the steps since the previous point. */
  loss: number;
  /** Learning rate of this step. */
  lr: number;
  /** Global gradient norm of this step, before clipping. */
  gradNorm: number;
  /** Tokens (batch × padded length) per second of optimizer time since the previous point. */
  tokensPerSecond: number;
}

export interface LoopResult {
  steps: number;
  /** Loss of the first step (≈ ln V for a fresh model). */
  firstLoss: number;
  /** Mean loss since the previous logged point at the end. */
  finalLoss: number;
  /** Mean tokens per second over the whole run. */
  tokensPerSecond: number;
  /** `tf.memory().numTensors` after the last step minus after the first: 0 unless a step leaks. */
  tensorGrowth: number;
  curve: LogPoint[];
}

export async function trainLoop({
  model,
  examples,
  padId,
  config,
  onLog,
}: {
  model: Gpt;
  examples: readonly Example[];
  padId: number;
  config: LoopConfig;
  onLog?: (point: LogPoint) => Promise<void> | void;
}): Promise<LoopResult> {
  const trainer = makeTrainer(model, {
    lr: (step) => lrAt(step, config),
    betas: [0.9, 0.95],
    weightDecay: config.weightDecay,
    gradClip: config.gradClip,
  });
  const sampler = new BatchSampler(examples.length, config.batchSize, config.seed);
  const curve: LogPoint[] = [];
  let firstLoss = NaN;
  let tensorsAfterFirst = 0;
  let window = { loss: 0, steps: 0, tokens: 0, ms: 0 };
  let total = { tokens: 0, ms: 0 };
  try {
    for (let step = 1; step <= config.steps; step++) {
      // 1. next batch, padded to its longest example
      const batch = collate(sampler.next().map((i) => examples[i]!), padId);
      const t0 = performance.now();
      // 2. one AdamW step on the answer-masked loss; the batch tensors live for this step only
      const idx = tf.tensor2d(batch.idx, [batch.B, batch.T], 'int32');
      const targets = tf.tensor2d(batch.targets, [batch.B, batch.T], 'int32');
      const mask = tf.tensor2d(batch.mask, [batch.B, batch.T], 'float32');
      let loss: number;
      try {
        loss = trainer.step(idx, targets, mask);
      } finally {
        tf.dispose([idx, targets, mask]);
      }
      const ms = performance.now() - t0;
      if (!Number.isFinite(loss)) {
        throw new BadInputError(`loss became ${loss} at step ${step}: lower lr (${config.lr}) or gradClip (${config.gradClip}) and start a new run`);
      }
      if (step === 1) {
        firstLoss = loss;
        tensorsAfterFirst = tf.memory().numTensors;
      }
      window = { loss: window.loss + loss, steps: window.steps + 1, tokens: window.tokens + batch.B * batch.T, ms: window.ms + ms };
      total = { tokens: total.tokens + batch.B * batch.T, ms: total.ms + ms };
      // 3. report: after the first step, every logEvery steps, and after the last
      if (step === 1 || step % config.logEvery === 0 || step === config.steps) {
        const point: LogPoint = {
          step,
          loss: window.loss / window.steps,
          lr: lrAt(step, config),
          gradNorm: trainer.lastGradNorm,
          tokensPerSecond: Math.round(window.tokens / (window.ms / 1000)),
        };
        curve.push(point);
        window = { loss: 0, steps: 0, tokens: 0, ms: 0 };
        await onLog?.(point);
      }
    }
    return {
      steps: config.steps,
      firstLoss,
      finalLoss: curve[curve.length - 1]!.loss,
      tokensPerSecond: Math.round(total.tokens / (total.ms / 1000)),
      tensorGrowth: tf.memory().numTensors - tensorsAfterFirst,
      curve,
    };
  } finally {
    trainer.dispose();
  }
}
