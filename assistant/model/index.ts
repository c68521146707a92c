/** The assistant's transformer: policy, value head, reward model, generation, log-probs, checkpoints, training. */
export { AdamW, type AdamWOptions, clipByGlobalNorm } from './adamw.js';
export {
  type Checkpointable,
  type CheckpointHeader,
  type DecodedCheckpoint,
  decodeCheckpoint,
  encodeCheckpoint,
  loadGpt,
  loadRewardModel,
  loadValueHead,
  loadWeights,
  sha256,
} from './checkpoint.js';
export { type GptConfig, type GptConfigInput, GptConfigSchema, gptConfig } from './config.js';
export { copyBias, type CopyBiasOptions, type LogitsProcessor } from './copy-bias.js';
export { crossEntropy } from './cross-entropy.js';
export { chainProcessors, noRepeatNgram } from './no-repeat.js';
export { Decoder, type DecoderOptions } from './decoder.js';
export {
  type FinishReason,
  type GenerateOptions,
  type GenerateResult,
  generate,
  generateStream,
  type StreamOptions,
} from './generate.js';
export { Gpt, type GptOutput, type ModelOptions } from './gpt.js';
export { KvCache } from './kv-cache.js';
export { logprobsOfTargets, tokenLogprobs } from './logprobs.js';
export { RewardModel } from './reward-model.js';
export { argmax, type SampleOptions, sampleToken, seededRandom } from './sampling.js';
export { type LossTrainer, makeLossTrainer, makeTrainer, type Trainer, type TrainerOptions } from './train-step.js';
export { type ForwardOptions, GptTrunk } from './trunk.js';
export { ValueHead } from './value-head.js';
