/**
 * Trains tokenizers on a JSONL corpus and prints one machine-readable line per vocabulary size:
 * training time, compression (bytes per token, on the training text and on a held-out tenth) and
 * encode speed (first pass with an empty word cache; then the best of three passes with it full).
 *
 *   npx tsx assistant/tokenizer/measure.ts [file.jsonl] [vocab sizes, comma-separated]
 *   npx tsx assistant/tokenizer/measure.ts data/bitext_cs_4514.jsonl 2048,4096
 */
import { readJsonlTexts } from './corpus.js';
import { train } from './train.js';
import type { Tokenizer } from './tokenizer.js';

const file = process.argv[2] ?? 'data/bitext_cs_4514.jsonl';
const sizes = (process.argv[3] ?? '2048,4096').split(',').map(Number);
const texts = readJsonlTexts(file, ['instruction', 'response']);
const bytes = (list: string[]) => list.reduce((sum, t) => sum + Buffer.byteLength(t), 0);
const heldOut = texts.filter((_, i) => i % 10 === 9);
const trainPart = texts.filter((_, i) => i % 10 !== 9);

function timeEncode(tokenizer: Tokenizer, list: string[]): { tokens: number; seconds: number } {
  const start = performance.now();
  let tokens = 0;
  for (const text of list) tokens += tokenizer.encode(text).length;
  return { tokens, seconds: (performance.now() - start) / 1000 };
}

for (const vocabSize of sizes) {
  const start = performance.now();
  const tokenizer = train(texts, { vocabSize });
  const trainSeconds = (performance.now() - start) / 1000;
  const cold = timeEncode(tokenizer, texts);
  // Best of three warm passes: the machine is shared, and the best pass is the least disturbed one.
  const warm = [1, 2, 3].map(() => timeEncode(tokenizer, texts)).reduce((a, b) => (a.seconds < b.seconds ? a : b));
  const heldTokenizer = train(trainPart, { vocabSize });
  const held = timeEncode(heldTokenizer, heldOut);
  const mb = bytes(texts) / 1e6;
  console.log(
    JSON.stringify({
      file,
      mb: +mb.toFixed(2),
      vocabSize: tokenizer.vocabSize,
      trainSeconds: +trainSeconds.toFixed(2),
      bytesPerToken: +(bytes(texts) / cold.tokens).toFixed(3),
      heldOutBytesPerToken: +(bytes(heldOut) / held.tokens).toFixed(3),
      encodeMBps: { cold: +(mb / cold.seconds).toFixed(1), warm: +(mb / warm.seconds).toFixed(1) },
    }),
  );
}
