import type { Turn } from '../responder.js';
import type { Tokenizer } from '../tokenizer/index.js';

/** Smallest prompt: <|system|> <|context|> <|user|> one word <|assistant|>. */
const MIN_PROMPT = 5;

/** A knowledge passage placed in the context (the retrieved Q/A the model may copy from). */
export interface Passage {
  question: string;
  answer: string;
}

export interface PromptParts {
  persona: string;
  /** Retrieved passages, best first; the last ones are dropped first when space runs out. */
  passages: Passage[];
  /** Earlier turns, oldest first; the oldest are dropped first when space runs out. */
  history: Turn[];
  question: string;
}

/**
 * The one layout the policy is trained and served with:
 *
 *   <|system|>persona <|context|>Q: …\nA: …\n\nQ: …\nA: … <|user|>… <|assistant|>…<|end|> … <|user|>question <|assistant|>
 *
 * Retrieval-augmented: a small model learns to ground its answer in (copy from) the passages rather
 * than recall them. Staff turns are shown as assistant turns: they speak for the business.
 */
export class PromptFormat {
  readonly system: number;
  readonly context: number;
  readonly user: number;
  readonly assistant: number;
  readonly end: number;

  constructor(private readonly tok: Tokenizer) {
    const id = (s: string) => {
      const v = tok.idOf(s);
      if (v === undefined) throw new Error(`tokenizer has no special token ${s}: train it with the default special tokens`);
      return v;
    };
    this.system = id('<|system|>');
    this.context = id('<|context|>');
    this.user = id('<|user|>');
    this.assistant = id('<|assistant|>');
    this.end = id('<|end|>');
  }

  /** Prompt ids ending in `<|assistant|>`, at most `maxTokens` long (see `fit` for what gives way). */
  prompt(parts: PromptParts, maxTokens: number): number[] {
    return this.fit(parts, maxTokens);
  }

  /**
   * A training example: prompt + answer + `<|end|>`, with `mask` 1 on the answer and end tokens only
   * (loss only on what the assistant says). The answer keeps at least half the budget; one that does
   * not fit whole is cut and loses its end token, so the model never learns to stop mid-sentence.
   */
  example(parts: PromptParts, answer: string, maxTokens: number): { ids: number[]; mask: number[] } {
    const answerIds = [...this.tok.encode(answer), this.end];
    const promptBudget = Math.max(Math.floor(maxTokens / 2), maxTokens - answerIds.length);
    const promptIds = this.fit(parts, promptBudget);
    const room = maxTokens - promptIds.length;
    const reply = answerIds.length <= room ? answerIds : answerIds.slice(0, room);
    return { ids: [...promptIds, ...reply], mask: [...promptIds.map(() => 0), ...reply.map(() => 1)] };
  }

  /**
   * Fits the prompt in `budget` tokens. What gives way, in order: the oldest history turns, the
   * lowest-ranked passages, then the persona and the question are cut (question from its start,
   * keeping its end, which is usually the actual ask).
   */
  private fit(parts: PromptParts, budget: number): number[] {
    if (budget < MIN_PROMPT) throw new Error(`a prompt needs at least ${MIN_PROMPT} tokens, got a budget of ${budget}: raise the context length`);
    const enc = (s: string) => this.tok.encode(s);
    let persona = [this.system, ...enc(parts.persona)];
    let question = [this.user, ...enc(parts.question), this.assistant];
    const turns = parts.history.map((t) => (t.role === 'user' ? [this.user, ...enc(t.content)] : [this.assistant, ...enc(t.content), this.end]));
    const passages = parts.passages.map((p, i) => enc(`${i ? '\n\n' : ''}Q: ${p.question}\nA: ${p.answer}`));
    const size = () => persona.length + question.length + 1 + passages.reduce((a, p) => a + p.length, 0) + turns.reduce((a, t) => a + t.length, 0);
    while (size() > budget && turns.length) turns.shift();
    while (size() > budget && passages.length) passages.pop();
    if (size() > budget) persona = persona.slice(0, Math.max(1, budget - question.length - 1));
    if (size() > budget) {
      // Room for the question's words: the budget less persona, <|context|>, <|user|> and <|assistant|>.
      const room = Math.max(0, budget - persona.length - 3);
      const words = question.slice(1, -1);
      question = [this.user, ...words.slice(words.length - room), this.assistant];
    }
    return [...persona, this.context, ...passages.flat(), ...turns.flat(), ...question];
  }
}
