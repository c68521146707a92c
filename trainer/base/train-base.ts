/**
 * The shipped base policy, start to finish (`npm run train:base`): split Bitext into training and
 * held-out paraphrase groups, train a tokenizer and a GPT on the training split with retrieval-augmented
 * examples, and return the checkpoint bytes and a manifest. No database, no queue: a reproducible
 * function of the data file and the config.
 */
import { encodeCheckpoint, Gpt, makeLossTrainer, sha256 } from '../../assistant/model/index.js';
import { PromptFormat } from '../../assistant/prompt/format.js';
import { KnowledgeIndex } from '../../assistant/retrieval/index.js';
import { initTfjs } from '../../assistant/tfjs/index.js';
import { seededRandom } from '../../assistant/random.js';
import { train } from '../../assistant/tokenizer/index.js';
import type { BaseManifest } from '../../server/services/models/base-manifest.js';
import { BatchSampler, collate } from '../sft/batches.js';
import type { Example } from '../sft/examples.js';
import { lrAt } from '../sft/schedule.js';
import { answerLoss } from './answer-loss.js';
import { BASE_PERSONA, type BaseConfig } from './config.js';
import { baseExample, choosePassages, planPassages } from './examples.js';
import { type BitextEntry, DEFAULT_SPLIT, loadBitext, splitBitext } from './split.js';

export const BASE_NAME = 'base-bitext-v1';

export interface BaseOutcome {
  bytes: Uint8Array;
  manifest: BaseManifest;
}

export async function trainBase({
  config,
  command,
  log = () => {},
  data = loadBitext(),
}: {
  config: BaseConfig;
  /** How it was started, recorded in the manifest. */
  command: string;
  log?: (line: string) => void;
  /** The Bitext entries (default: the data file); tests pass a few hundred. */
  data?: BitextEntry[];
}): Promise<BaseOutcome> {
  const t0 = performance.now();
  const info = await initTfjs();
  log(`backend ${info.backend}`);

  // 1. data: the training split only (the held-out groups are the benchmark's)
  const split = splitBitext(data, DEFAULT_SPLIT);
  const { train: entries } = split;
  log(`split: ${entries.length} training entries, ${split.heldOut.length} held out (${split.definition.heldOutGroups} groups)`);

  // 2. tokenizer and model
  const tokenizer = train([BASE_PERSONA, ...entries.flatMap((e) => [e.question, e.answer])], { vocabSize: config.vocabSize });
  const model = new Gpt(
    { vocabSize: tokenizer.vocabSize, blockSize: config.blockSize, nLayer: config.nLayer, nHead: config.nHead, nEmbd: config.nEmbd, dropout: config.dropout },
    { seed: config.seed },
  );
  const format = new PromptFormat(tokenizer);
  const padId = tokenizer.idOf('<|pad|>');

  // 3. passages: each question's best passages from other paraphrase groups of the training split
  const byId = new Map<string, BitextEntry>(entries.map((e) => [e.id, e]));
  const index = new KnowledgeIndex(entries);
  const plans = planPassages(entries, index, byId, split.groupOf, config.topKPassages);
  log(`${model.numParams()} parameters; passages planned in ${Math.round(performance.now() - t0)} ms`);

  // 4. train: every batch assembles fresh examples (passage choice re-drawn), answer-only loss
  const random = seededRandom(config.seed + 1);
  const sampler = new BatchSampler(entries.length, config.batchSize, config.seed);
  const trainer = makeLossTrainer(model.variables(), {
    lr: (step) => lrAt(step, config),
    betas: [0.9, 0.95],
    weightDecay: config.weightDecay,
    gradClip: config.gradClip,
  });
  const curve: Record<string, number>[] = [];
  let firstLoss = NaN;
  let window = { loss: 0, steps: 0, tokens: 0, ms: 0 };
  let total = { tokens: 0, ms: 0 };
  try {
    for (let step = 1; step <= config.steps; step++) {
      const examples: Example[] = sampler.next().map((i) => {
        const entry = entries[i]!;
        const passages = choosePassages(entry, plans[i]!, config.topKPassages, config.ownPassageRate, random);
        return baseExample(format, BASE_PERSONA, entry, passages, config.blockSize);
      });
      const batch = collate(examples, padId);
      const s0 = performance.now();
      const loss = trainer.step(() => answerLoss(model, batch));
      const ms = performance.now() - s0;
      if (!Number.isFinite(loss)) throw new Error(`loss became ${loss} at step ${step}: lower --lr (${config.lr}) and run again`);
      if (step === 1) firstLoss = loss;
      window = { loss: window.loss + loss, steps: window.steps + 1, tokens: window.tokens + batch.B * batch.T, ms: window.ms + ms };
      total = { tokens: total.tokens + batch.B * batch.T, ms: total.ms + ms };
      if (step === 1 || step % config.logEvery === 0 || step === config.steps) {
        const point = { step, loss: round(window.loss / window.steps, 4), lr: lrAt(step, config), tokensPerSecond: Math.round(window.tokens / (window.ms / 1000)) };
        curve.push(point);
        log(`step ${step}/${config.steps} loss ${point.loss.toFixed(3)} lr ${point.lr.toExponential(2)} ${point.tokensPerSecond} tok/s ${Math.round((performance.now() - t0) / 1000)} s`);
        window = { loss: 0, steps: 0, tokens: 0, ms: 0 };
      }
    }
  } finally {
    trainer.dispose();
  }

  // 5. checkpoint (tokenizer and prompt settings in its meta) and manifest
  try {
    const bytes = encodeCheckpoint(model, {
      name: BASE_NAME,
      tokenizer: tokenizer.toJSON(),
      prompt: { topKPassages: config.topKPassages, blockSize: config.blockSize, maxPromptTokens: config.maxPromptTokens, persona: BASE_PERSONA },
      split: { heldOutSha256: split.definition.heldOutSha256 },
      trainConfig: config,
    });
    const manifest: BaseManifest = {
      name: BASE_NAME,
      file: 'base-policy.rpck',
      sha256: sha256(bytes),
      bytes: bytes.byteLength,
      params: model.numParams(),
      tokenizerVocabSize: tokenizer.vocabSize,
      config: { ...config },
      split: { ...split.definition },
      steps: config.steps,
      firstLoss: round(firstLoss, 4),
      finalLoss: curve[curve.length - 1]!.loss!,
      tokensPerSecond: Math.round(total.tokens / (total.ms / 1000)),
      seconds: Math.round((performance.now() - t0) / 1000),
      command,
      date: new Date().toISOString(),
      curve,
    };
    return { bytes, manifest };
  } finally {
    model.dispose();
  }
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
