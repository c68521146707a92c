import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decoder } from './decoder.js';
import { generate, generateStream } from './generate.js';
import { Gpt } from './gpt.js';
import { seededRandom } from './sampling.js';
import { ids, leaked, TINY, useCpu } from './test-support.js';
import { makeTrainer } from './train-step.js';

// A random-init model greedily repeats its last token, which would hide position or cache bugs; a
// model that has memorized a few random sequences continues each prompt with varied tokens.
const random = seededRandom(3);
const corpus = Array.from({ length: 4 }, () => Array.from({ length: 13 }, () => Math.floor(random() * 16)));
const prompts = [corpus[0].slice(0, 5), corpus[1].slice(0, 1), corpus[2].slice(0, 3)];

let model: Gpt;
beforeAll(async () => {
  await useCpu();
  model = new Gpt(TINY, { seed: 4 }); // blockSize 16, vocab 16
  const trainer = makeTrainer(model, { lr: 3e-2, betas: [0.9, 0.95] });
  const [idx, tgt] = [ids(corpus.map((r) => r.slice(0, 12))), ids(corpus.map((r) => r.slice(1)))];
  for (let i = 0; i < 40; i++) trainer.step(idx, tgt);
  tf.dispose([idx, tgt]);
  trainer.dispose();
});
afterAll(() => model.dispose());
const greedy = { temperature: 0, maxNewTokens: 8 } as const;

async function collect(stream: AsyncGenerator<number, string>): Promise<{ tokens: number[]; finish: string }> {
  const tokens: number[] = [];
  for (;;) {
    const r = await stream.next();
    if (r.done) return { tokens, finish: r.value };
    tokens.push(r.value);
  }
}

describe('generate', () => {
  it('continues memorized sequences (so the comparisons below see varied tokens)', () => {
    expect(generate(model, [prompts[0]], greedy).tokens[0]).toEqual(corpus[0].slice(5, 13));
  });

  it('gives the same greedy tokens with and without the KV cache', () => {
    for (const p of prompts) {
      const cached = generate(model, [p], { ...greedy, maxNewTokens: 16 - p.length });
      const uncached = generate(model, [p], { ...greedy, maxNewTokens: 16 - p.length, useCache: false });
      expect(cached.tokens).toEqual(uncached.tokens);
    }
  });

  it('gives the same next-token logits with and without the cache, step by step', () => {
    const withCache = new Decoder(model, [[1, 2, 3]]);
    const without = new Decoder(model, [[1, 2, 3]], { useCache: false });
    for (const next of [4, 5, 6, 7]) {
      const [a, b] = [withCache.nextLogits(), without.nextLogits()];
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
      withCache.push([next]);
      without.push([next]);
    }
    withCache.dispose();
    without.dispose();
  });

  it('batched generation of prompts of different lengths equals one-by-one generation', () => {
    const batched = generate(model, prompts, greedy);
    const single = prompts.map((p) => generate(model, [p], greedy).tokens[0]);
    expect(batched.tokens).toEqual(single);
  });

  it('top-k = 1 equals greedy, whatever the temperature and seed', () => {
    const g = generate(model, prompts, greedy);
    const k1 = generate(model, prompts, { maxNewTokens: 8, temperature: 1.5, topK: 1, seed: 123 });
    expect(k1.tokens).toEqual(g.tokens);
  });

  it('samples reproducibly from a seed', () => {
    const opts = { maxNewTokens: 8, temperature: 1, topP: 0.9, seed: 5 };
    expect(generate(model, prompts, opts).tokens).toEqual(generate(model, prompts, opts).tokens);
  });

  it('stops a row at a stop token (included), while other rows go on', () => {
    const free = generate(model, prompts, greedy).tokens;
    const stop = free[0][2]; // the third token row 0 generates
    const firstAt = (row: number[]) => row.indexOf(stop);
    const r = generate(model, prompts, { ...greedy, stop: [stop] });
    expect(r.tokens[0]).toEqual(free[0].slice(0, firstAt(free[0]) + 1));
    expect(r.finish[0]).toBe('stop');
    prompts.forEach((_, b) => {
      const at = firstAt(free[b]);
      expect(r.tokens[b]).toEqual(at < 0 ? free[b] : free[b].slice(0, at + 1));
      expect(r.finish[b]).toBe(at < 0 ? 'length' : 'stop');
    });
  });

  it('crops context longer than blockSize from the left and keeps generating past it', () => {
    const long = Array.from({ length: 20 }, (_, i) => (i * 5) % 16); // 20 > blockSize 16
    const cropped = long.slice(-16);
    const a = generate(model, [long], { ...greedy, maxNewTokens: 1 });
    const b = generate(model, [cropped], { ...greedy, maxNewTokens: 1, useCache: false });
    expect(a.tokens).toEqual(b.tokens);
    const { result, leaked: n } = leaked(() => generate(model, [long, [3]], { ...greedy, maxNewTokens: 40 }));
    expect(result.tokens.map((t) => t.length)).toEqual([40, 40]);
    expect(n).toBe(0);
  });

  it('leaks no tensor over 100 generations', () => {
    generate(model, prompts, greedy); // warm up anything tfjs allocates once
    const { leaked: n } = leaked(() => {
      for (let i = 0; i < 100; i++) generate(model, [prompts[i % 3]], { maxNewTokens: 4, seed: i });
    });
    expect(n).toBe(0);
  });

  it('rejects bad arguments with a message saying what to pass', () => {
    expect(() => generate(model, [[]], greedy)).toThrow(/prompt 0 is empty/);
    expect(() => generate(model, [[99]], greedy)).toThrow(/token id 99 outside 0..15/);
    expect(() => generate(model, [[1]], { maxNewTokens: 0 })).toThrow(/at least 1 token/);
    expect(() => generate(model, [[1]], { maxNewTokens: 1, topP: 0 })).toThrow(/topP/);
  });
});

describe('generateStream', () => {
  it('yields the tokens generate() returns, without the stop token, then says why it ended', async () => {
    const full = generate(model, [prompts[0]], greedy).tokens[0];
    const plain = await collect(generateStream(model, prompts[0], greedy));
    expect(plain).toEqual({ tokens: full, finish: 'length' });
    const stopped = await collect(generateStream(model, prompts[0], { ...greedy, stop: full[3] }));
    expect(stopped).toEqual({ tokens: full.slice(0, full.indexOf(full[3])), finish: 'stop' });
  });

  it('stops on abort and frees its cache when the consumer breaks early', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const seen: number[] = [];
    const stream = generateStream(model, [1, 2], { ...greedy, signal: controller.signal });
    for await (const id of stream) {
      seen.push(id);
      if (seen.length === 2) controller.abort();
    }
    expect(seen).toHaveLength(2);
    for await (const _ of generateStream(model, [1, 2], greedy)) break;
    expect(tf.memory().numTensors).toBe(before);
  });
});
