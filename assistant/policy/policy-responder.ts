/**
 * Answers with a trained policy: retrieves the top-k knowledge passages (as the policy was trained
 * to read them), has a generation worker write the answer, and streams it with `{{Placeholders}}`
 * filled. When the policy fails before its first word (unloadable checkpoint, dead worker) the
 * visitor gets the retrieval answer instead of an error.
 */
import type { KnowledgeIndex } from '../retrieval/index.js';
import type { Draft, Responder, ResponderInput } from '../responder.js';
import { streamText } from '../stream-text.js';
import type { GenerationPool } from './generation-pool.js';
import type { PolicyInfo, Sampling } from './messages.js';
import { PlaceholderStream } from './placeholder-stream.js';

/** A policy model version ready to serve. */
export interface ServedPolicy {
  versionId: string;
  /** Recorded as the answer's `modelVersion`. */
  label: string;
  info: PolicyInfo;
  /** Reads its checkpoint bytes (only when a worker does not hold them yet). */
  load: () => Promise<Uint8Array>;
}

export interface PolicyServingOptions {
  /** Most tokens of an answer (also capped at half the policy's context). */
  maxNewTokens: number;
  /** Sampling temperature of plain answers; 0 = greedy (a small policy copies its passage most faithfully). */
  temperature: number;
  /** Temperature of the two samples of a comparison when there is no candidate policy. */
  compareTemperature: number;
  /** Nucleus sampling for temperatures above 0. */
  topP: number;
  /** Logit bonus for continuing a span of the retrieved passages (assistant/model/copy-bias.ts); 0 = off. */
  copyBias: number;
  /** No n-gram of this many tokens appears twice in an answer (assistant/model/no-repeat.ts); 0 = off. */
  noRepeatNgram: number;
}

export const DEFAULT_POLICY_SERVING: PolicyServingOptions = { maxNewTokens: 160, temperature: 0, compareTemperature: 0.8, topP: 0.95, copyBias: 8, noRepeatNgram: 10 };

export class PolicyResponder implements Responder {
  constructor(
    private readonly deps: {
      pool: GenerationPool;
      index: KnowledgeIndex;
      /** The site's active policy. */
      active: ServedPolicy;
      /** A candidate policy shown against the active one in comparisons, if the site has one. */
      candidate: ServedPolicy | null;
      /** Answers when the policy cannot (retrieval). */
      fallback: Responder;
      options: PolicyServingOptions;
      log: (line: string) => void;
    },
  ) {}

  async draft(input: ResponderInput, count: 1 | 2): Promise<Draft[]> {
    const { active, candidate, options } = this.deps;
    if (count === 1) {
      const draft = await this.start(active, input, this.sampling(options.temperature));
      return draft ? [draft] : this.deps.fallback.draft(input, 1);
    }
    // Comparison: active vs. candidate, else two samples of the active policy with different seeds, the
    // second without the copy bias (with it, two samples mostly copy the same passage alike): the choice
    // then also says whether visitors prefer the grounded answer or the free one. Both are written in
    // full (the caller shows them side by side once complete) so that two equal texts can be caught:
    // they would be a comparison without a choice.
    const seed = Math.floor(Math.random() * 2 ** 31);
    const sides = candidate
      ? [this.start(active, input, this.sampling(options.temperature)), this.start(candidate, input, this.sampling(options.temperature))]
      : [0, 1].map((i) => this.start(active, input, this.sampling(options.compareTemperature, seed + i, i === 0 ? options.copyBias : 0)));
    const drafts = (await Promise.all(sides)).filter((d): d is Draft => d !== null);
    if (drafts.length === 0) return this.deps.fallback.draft(input, 1);
    const written = await Promise.all(drafts.map(async (d) => ({ ...d, text: await collect(d.tokens) })));
    const distinct = written.filter((d, i) => written.findIndex((o) => o.text.trim() === d.text.trim()) === i);
    return distinct.map(({ responder, modelVersion, text }) => ({ responder, modelVersion, tokens: streamText(text, input.signal) }));
  }

  private sampling(temperature: number, seed?: number, copyBias = this.deps.options.copyBias): Sampling {
    const { maxNewTokens, topP, noRepeatNgram } = this.deps.options;
    return { maxNewTokens, temperature, topP: temperature > 0 ? topP : 1, seed, copyBias, noRepeatNgram };
  }

  /**
   * Starts generating and waits for the first piece (or the end), so a policy that fails at once is
   * replaced by the fallback before anything reaches the visitor. Null when it failed.
   */
  private async start(policy: ServedPolicy, input: ResponderInput, sampling: Sampling): Promise<Draft | null> {
    const passages = policy.info.topKPassages > 0 ? this.deps.index.top(input.question, policy.info.topKPassages).map((h) => ({ question: h.passage.question, answer: h.passage.answer })) : [];
    const pieces = this.deps.pool.generate({
      versionId: policy.versionId,
      load: policy.load,
      parts: { persona: input.persona, passages, history: input.history, question: input.question },
      sampling,
      signal: input.signal,
    });
    let first: IteratorResult<string, void>;
    try {
      first = await pieces.next();
    } catch (err) {
      this.deps.log(`policy ${policy.label} failed, answering with retrieval: ${(err as Error).message}`);
      return null;
    }
    return { responder: 'policy', modelVersion: policy.label, tokens: filled(first, pieces, input.placeholders) };
  }
}

/** The generated pieces with placeholders filled (a slot split across tokens is held back until whole). */
async function* filled(first: IteratorResult<string, void>, rest: AsyncGenerator<string, void, void>, values: Record<string, string>): AsyncGenerator<string> {
  const slots = new PlaceholderStream(values);
  try {
    if (first.done) return;
    const head = slots.push(first.value);
    if (head) yield head;
    for await (const piece of rest) {
      const text = slots.push(piece);
      if (text) yield text;
    }
  } finally {
    await rest.return(); // stops the worker when the reader leaves early
  }
  const tail = slots.end();
  if (tail) yield tail;
}

async function collect(tokens: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const t of tokens) text += t;
  return text;
}
