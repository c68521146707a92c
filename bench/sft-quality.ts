/**
 * Generated vs retrieved answers on held-out paraphrase groups: the shipped base policy answers every
 * held-out Bitext question (greedy, same prompt layout, passages from an index of the TRAINING split)
 * and the retrieval responder answers the same questions. For each: how often the answer belongs to the
 * right intent (the training answer nearest to it by BM25 has the gold intent; a refusal is wrong) and
 * ROUGE-L F1 against the reference answer. Retrieval top-1 without the relevance threshold is reported
 * too. Placeholders ({{Order Number}}) are filled with their names in every text before scoring.
 *   npm run bench -- sft-quality                         all held-out questions, models/ checkpoint
 *   npm run bench -- sft-quality --limit 100 --dir tmp/base-pilot
 * Prints `BENCH sft-quality {"generated":{intentAcc,rougeL},"retrieval":{…},"retrievalTop1":{…},"n",…}`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { rougeL } from '../assistant/eval/rouge.js';
import { decodeCheckpoint, generate, loadGpt, sha256 } from '../assistant/model/index.js';
import { answerProcessor } from '../assistant/policy/answer-processor.js';
import { DEFAULT_POLICY_SERVING } from '../assistant/policy/policy-responder.js';
import { fillPlaceholders } from '../assistant/placeholders.js';
import { PromptFormat } from '../assistant/prompt/format.js';
import { KnowledgeIndex } from '../assistant/retrieval/index.js';
import { DEFAULT_RETRIEVAL, OUT_OF_SCOPE, RetrievalResponder } from '../assistant/retrieval/responder.js';
import { initTfjs } from '../assistant/tfjs/index.js';
import { Tokenizer } from '../assistant/tokenizer/index.js';
import { readBaseManifest } from '../server/services/models/base-manifest.js';
import { DEFAULT_SPLIT, loadBitext, splitBitext } from '../trainer/base/split.js';
import { AnswerIntentIndex } from './support/quality-intent.js';

const { values: opts } = parseArgs({
  options: {
    dir: { type: 'string' },
    /** Evaluate an evenly spaced sample of this many held-out questions (0 = all). */
    limit: { type: 'string', default: '0' },
    batch: { type: 'string', default: '8' },
    'max-new': { type: 'string', default: '300' },
    verbose: { type: 'boolean', default: false },
    /** Write every question, generated answer and judged intents to this JSONL file. */
    out: { type: 'string' },
    /** Copy bias toward the retrieved passages (assistant/model/copy-bias.ts); default: what the server uses. */
    'copy-bias': { type: 'string', default: String(DEFAULT_POLICY_SERVING.copyBias) },
    /** No n-gram of this many tokens twice in an answer (0 = off); default: what the server uses. */
    'no-repeat': { type: 'string', default: String(DEFAULT_POLICY_SERVING.noRepeatNgram) },
    /** Tokens a copy must match before the bias applies (default: copyBias's own). */
    'copy-match': { type: 'string' },
  },
});

// 1. the checkpoint, checked against its manifest and against today's split
const { manifest, checkpointPath } = readBaseManifest(opts.dir);
const bytes = new Uint8Array(readFileSync(checkpointPath));
if (sha256(bytes) !== manifest.sha256) throw new Error(`${checkpointPath} does not match its manifest's sha256: rerun npm run train:base`);
const split = splitBitext(loadBitext(), DEFAULT_SPLIT);
if (split.definition.heldOutSha256 !== manifest.split.heldOutSha256) {
  throw new Error('the checkpoint was trained on another split than trainer/base/split.ts makes today: its held-out questions may be in its training data; rerun npm run train:base');
}
const meta = decodeCheckpoint(bytes).header.meta as { tokenizer: unknown; prompt: { topKPassages: number; blockSize: number; persona: string; maxPromptTokens?: number } };
const { topKPassages, blockSize, persona } = meta.prompt;
const maxPromptTokens = meta.prompt.maxPromptTokens ?? blockSize - 160;
const info = await initTfjs();
const tokenizer = Tokenizer.fromJSON(meta.tokenizer);
const model = loadGpt(bytes);
const format = new PromptFormat(tokenizer);

// 2. the questions: all held-out ones, or an evenly spaced sample
const limit = Number(opts.limit);
const all = split.heldOut;
const questions = limit > 0 && limit < all.length ? Array.from({ length: limit }, (_, i) => all[Math.floor((i * all.length) / limit)]!) : all;
const index = new KnowledgeIndex(split.train);
const intentOfId = new Map(split.train.map((e) => [e.id, e.intent]));
const judge = new AnswerIntentIndex(split.train);
const responder = new RetrievalResponder(index, { version: 'bench', ...DEFAULT_RETRIEVAL });
const fill = (text: string) => fillPlaceholders(text, {});

// 3. generated answers, in batches (greedy)
const generated: string[] = [];
let genTokens = 0;
const g0 = performance.now();
const B = Number(opts.batch);
const bias = Number(opts['copy-bias']);
const noRepeat = Number(opts['no-repeat']);
const minMatch = opts['copy-match'] === undefined ? undefined : Number(opts['copy-match']);
for (let i = 0; i < questions.length; i += B) {
  const rows = questions.slice(i, i + B);
  const passagesOf = rows.map((q) => index.top(q.question, topKPassages).map((h) => ({ question: h.passage.question, answer: h.passage.answer })));
  const prompts = rows.map((q, r) => format.prompt({ persona, passages: passagesOf[r]!, history: [], question: q.question }, maxPromptTokens));
  const logitsProcessors = passagesOf.map((ps) =>
    answerProcessor({ tokenizer, endId: format.end, passages: ps }, { copyBias: bias, copyMatch: minMatch, noRepeatNgram: noRepeat }),
  );
  const out = generate(model, prompts, { maxNewTokens: Number(opts['max-new']), stop: format.end, temperature: 0, padId: tokenizer.idOf('<|pad|>'), logitsProcessors });
  for (const ids of out.tokens) {
    genTokens += ids.length;
    generated.push(tokenizer.decode(ids.filter((id) => id !== format.end)));
  }
  if ((i / B) % 10 === 0) process.stderr.write(`sft-quality: ${Math.min(i + B, questions.length)}/${questions.length} generated\n`);
}
const genSeconds = (performance.now() - g0) / 1000;
model.dispose();

// 4. score generated, retrieval (thresholded, as served) and retrieval top-1 (no threshold)
const rows: Record<string, unknown>[] = [];
const score = { generated: { right: 0, rouge: 0 }, retrieval: { right: 0, rouge: 0, refused: 0 }, top1: { right: 0, rouge: 0 } };
for (const [i, q] of questions.entries()) {
  const reference = fill(q.answer);
  const gen = fill(generated[i]!);
  const genIntent = judge.intentOfText(gen);
  score.generated.right += genIntent === q.intent ? 1 : 0;
  score.generated.rouge += rougeL(gen, reference).f1;

  const [draft] = await responder.draft({ persona, placeholders: {}, history: [], question: q.question }, 1);
  let text = '';
  for await (const piece of draft!.tokens) text += piece;
  if (text === OUT_OF_SCOPE) score.retrieval.refused++;
  else score.retrieval.right += judge.intentOfText(text) === q.intent ? 1 : 0;
  score.retrieval.rouge += rougeL(text, reference).f1;

  const top = index.top(q.question, 1)[0];
  score.top1.right += top && intentOfId.get(top.passage.id) === q.intent ? 1 : 0;
  score.top1.rouge += top ? rougeL(fill(top.passage.answer), reference).f1 : 0;
  rows.push({ id: q.id, intent: q.intent, question: q.question, generated: gen, generatedIntent: genIntent, top1Intent: top ? intentOfId.get(top.passage.id) : null, retrieved: text === OUT_OF_SCOPE ? 'refused' : 'answered' });
  if (opts.verbose && i < 5) console.log(`Q: ${q.question}\nGEN: ${gen}\nREF: ${reference}\n`);
}
if (opts.out) writeFileSync(opts.out, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
const n = questions.length;
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const result = {
  generated: { intentAcc: r3(score.generated.right / n), rougeL: r3(score.generated.rouge / n) },
  retrieval: { intentAcc: r3(score.retrieval.right / n), rougeL: r3(score.retrieval.rouge / n), refused: r3(score.retrieval.refused / n) },
  retrievalTop1: { intentAcc: r3(score.top1.right / n), rougeL: r3(score.top1.rouge / n) },
  n,
  heldOut: all.length,
  model: manifest.name,
  sha256: manifest.sha256.slice(0, 12),
  genTokPerS: Math.round(genTokens / genSeconds),
  genSeconds: Math.round(genSeconds),
  meanGenTokens: Math.round(genTokens / n),
  copyBias: bias,
  copyMatch: minMatch,
  noRepeatNgram: noRepeat,
  backend: info.backend,
};
console.log(`BENCH sft-quality ${JSON.stringify(result)}`);
