/**
 * A tiny policy trained in-process on a knowledge list (the SFT loop without its database and queue),
 * as checkpoint bytes in the format the trainer saves: tokenizer and prompt settings in the meta.
 * A few seconds on 2 cores; enough steps that it answers with words, not an immediate end token.
 */
import { encodeCheckpoint, Gpt } from '../../assistant/model/index.js';
import { PromptFormat } from '../../assistant/prompt/format.js';
import { KnowledgeIndex } from '../../assistant/retrieval/index.js';
import { initTfjs, tf } from '../../assistant/tfjs/index.js';
import { train } from '../../assistant/tokenizer/index.js';
import { buildExamples, corpusOf, fromKnowledge } from '../../trainer/sft/examples.js';
import { trainLoop } from '../../trainer/sft/train-loop.js';
import { KNOWLEDGE } from './fixtures.js';

export interface TinyPolicyOptions {
  steps?: number;
  seed?: number;
  blockSize?: number;
  /** Default '': short prompts, which a model this small learns to copy from in a few seconds. */
  persona?: string;
  knowledge?: { question: string; answer: string }[];
}

export async function trainTinyPolicy(o: TinyPolicyOptions = {}): Promise<Uint8Array> {
  await initTfjs({ log: () => {} });
  const knowledge = (o.knowledge ?? KNOWLEDGE).map((k, i) => ({ id: String(i), question: k.question, answer: k.answer }));
  const persona = o.persona ?? '';
  const sources = fromKnowledge(knowledge);
  const tokenizer = train(corpusOf(sources, persona), { vocabSize: 320 });
  const blockSize = o.blockSize ?? 128;
  const topKPassages = 1;
  const model = new Gpt({ vocabSize: tokenizer.vocabSize, blockSize, nLayer: 1, nHead: 2, nEmbd: 32 }, { seed: o.seed ?? 1 });
  try {
    const examples = buildExamples(sources, {
      format: new PromptFormat(tokenizer),
      index: new KnowledgeIndex(knowledge),
      persona,
      topKPassages,
      blockSize,
    });
    await trainLoop({
      model,
      examples,
      padId: tokenizer.idOf('<|pad|>'),
      config: { steps: o.steps ?? 120, batchSize: 5, lr: 1e-2, warmupSteps: 5, minLrRatio: 0.1, weightDecay: 0, gradClip: 1, seed: o.seed ?? 1, logEvery: 1000 },
    });
    return encodeCheckpoint(model, { tokenizer: tokenizer.toJSON(), prompt: { topKPassages, blockSize } });
  } finally {
    model.dispose();
  }
}

/**
 * An untrained policy (random weights, a tokenizer trained on the test knowledge): it writes noise,
 * but deterministic noise under greedy decoding, and its size sets how long a token takes. The special
 * tokens' embeddings are zero (their logits 0, below the best random one), so greedy decoding never
 * ends an answer: it runs to the token cap.
 */
export async function untrainedPolicy(o: { seed?: number; nLayer?: number; nEmbd?: number; blockSize?: number } = {}): Promise<Uint8Array> {
  await initTfjs({ log: () => {} });
  const knowledge = KNOWLEDGE.map((k, i) => ({ id: String(i), question: k.question, answer: k.answer }));
  const tokenizer = train(corpusOf(fromKnowledge(knowledge), ''), { vocabSize: 320 });
  const blockSize = o.blockSize ?? 128;
  const model = new Gpt({ vocabSize: tokenizer.vocabSize, blockSize, nLayer: o.nLayer ?? 1, nHead: 2, nEmbd: o.nEmbd ?? 32 }, { seed: o.seed ?? 7 });
  try {
    const wte = model.namedVariables().get('wte')!;
    const special = tokenizer.specialTokens.map((t) => tokenizer.idOf(t));
    tf.tidy(() => wte.assign(wte.mul(tf.oneHot(special, wte.shape[0]!).sum(0).neg().add(1).expandDims(1))));
    return encodeCheckpoint(model, { tokenizer: tokenizer.toJSON(), prompt: { topKPassages: 2, blockSize } });
  } finally {
    model.dispose();
  }
}
