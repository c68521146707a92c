import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenerationError, GenerationPool } from '../assistant/policy/generation-pool.js';
import type { PromptParts } from '../assistant/prompt/format.js';
import { KNOWLEDGE } from './support/fixtures.js';
import { trainTinyPolicy, untrainedPolicy } from './support/tiny-policy.js';

let trained: Uint8Array;
let slow: Uint8Array;
let pool: GenerationPool;

beforeAll(async () => {
  [trained, slow] = [await trainTinyPolicy(), await untrainedPolicy({ nLayer: 2, nEmbd: 64, blockSize: 512 })];
  pool = new GenerationPool({ workers: 1 });
}, 120_000);
afterAll(() => pool.close());

const cancel: PromptParts = { persona: '', passages: [KNOWLEDGE[0]!], history: [], question: 'How do I cancel my order?' };

async function answer(versionId: string, bytes: Uint8Array, opts: { maxNewTokens?: number; signal?: AbortSignal; parts?: PromptParts; onPiece?: (n: number) => void } = {}) {
  const pieces: string[] = [];
  for await (const piece of pool.generate({
    versionId,
    load: async () => bytes,
    parts: opts.parts ?? cancel,
    sampling: { maxNewTokens: opts.maxNewTokens ?? 48, temperature: 0 },
    signal: opts.signal,
  })) {
    pieces.push(piece);
    opts.onPiece?.(pieces.length);
  }
  return pieces;
}

const finished = async () => (await pool.stats())[0]!.finished;

describe('generation pool', () => {
  it('streams a policy answer piece by piece from a worker thread, greedy answers repeatable', async () => {
    const info = await pool.prepare('trained', async () => trained);
    expect(info).toMatchObject({ topKPassages: 1, contextTokens: 128 });
    const pieces = await answer('trained', trained);
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.join('')).toContain('Order History');
    expect((await answer('trained', trained)).join('')).toBe(pieces.join(''));
  });

  it('runs concurrent requests side by side and sends each checkpoint to a worker once', async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      return trained;
    };
    const gen = (q: string) => pool.generate({ versionId: 'once', load, parts: { ...cancel, question: q }, sampling: { maxNewTokens: 24, temperature: 0 } });
    const collect = async (it: AsyncIterable<string>) => {
      let s = '';
      for await (const p of it) s += p;
      return s;
    };
    const answers = await Promise.all(['How do I cancel my order?', 'Where is my package?', 'I forgot my password'].map((q) => collect(gen(q))));
    expect(answers.every((a) => a.length > 0)).toBe(true);
    expect(loads).toBe(1);
  });

  it('stops a generation on abort, between two tokens', async () => {
    const before = await finished();
    const full = await answer('slow', slow, { maxNewTokens: 200 });
    const afterFull = await finished();
    // Precondition: undisturbed, this prompt runs to the token cap (greedy is deterministic).
    expect(afterFull.length).toBe(before.length + 1);
    const abort = new AbortController();
    const cut = await answer('slow', slow, { maxNewTokens: 200, signal: abort.signal, onPiece: (n) => n === 2 && abort.abort() });
    expect(cut.length).toBe(2);
    await expect.poll(async () => (await finished()).aborted, { timeout: 5000 }).toBe(afterFull.aborted + 1);
    expect(full.length).toBeGreaterThan(cut.length);
  });

  it("with a strong copy bias, even an untrained policy writes the retrieved passage's answer and ends", async () => {
    const passage = KNOWLEDGE[0]!;
    const noise = (await answer('slow', slow, { maxNewTokens: 200 })).join('');
    expect(noise).not.toContain(passage.answer.slice(0, 20));
    const pieces: string[] = [];
    for await (const piece of pool.generate({
      versionId: 'slow',
      load: async () => slow,
      parts: cancel,
      sampling: { maxNewTokens: 200, temperature: 0, copyBias: 50 },
    })) {
      pieces.push(piece);
    }
    // The passage word for word, then <|end|> (its source ends in it): not the 200-token cap.
    expect(pieces.join('')).toBe(passage.answer);
  });

  it('never repeats an n-gram when told, even where the copy bias would loop', async () => {
    const looping = 'Press Cancel. Press Cancel. Press Cancel. Press Cancel.';
    const parts: PromptParts = { ...cancel, passages: [{ question: 'How do I cancel?', answer: looping }] };
    const run = async (noRepeatNgram: number) => {
      let text = '';
      for await (const piece of pool.generate({ versionId: 'slow', load: async () => slow, parts, sampling: { maxNewTokens: 60, temperature: 0, copyBias: 50, noRepeatNgram } })) {
        text += piece;
      }
      return text;
    };
    // Precondition: the bias alone copies the phrase at least twice.
    expect(await run(0)).toContain('Press Cancel. Press Cancel.');
    // With 3-grams blocked it copies once, then may not write the phrase's tokens in that order again.
    const blocked = await run(3);
    expect(blocked.startsWith('Press Cancel.')).toBe(true);
    expect(blocked).not.toContain('Press Cancel. Press Cancel.');
  });

  it('never sends control characters a byte-level model may write (Postgres refuses NUL)', async () => {
    const noise = (await answer('slow', slow, { maxNewTokens: 200 })).join('');
    expect(noise.length).toBeGreaterThan(50);
    expect(noise).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/);
  });

  it('leaves no tensors behind: only the loaded policies stay', async () => {
    await answer('trained', trained);
    const [{ numTensors }] = await pool.stats();
    for (let i = 0; i < 3; i++) await answer('trained', trained, { parts: { ...cancel, question: `question ${i}` } });
    const abort = new AbortController();
    await answer('trained', trained, { signal: abort.signal, onPiece: () => abort.abort() });
    await expect.poll(async () => (await pool.stats())[0]!.active).toBe(0);
    expect((await pool.stats())[0]!.numTensors).toBe(numTensors);
  });

  it('fails clearly on a checkpoint that is not one, or bytes that cannot be read', async () => {
    await expect(pool.prepare('garbage', async () => new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).rejects.toThrow(/not a Rapport checkpoint/);
    const failing = pool.generate({ versionId: 'unreadable', load: async () => Promise.reject(new Error('artifact missing')), parts: cancel, sampling: { maxNewTokens: 4, temperature: 0 } });
    await expect(failing.next()).rejects.toThrow(/model version unreadable could not be read: artifact missing/);
    // The worker is still fine.
    expect((await answer('trained', trained)).length).toBeGreaterThan(0);
  });

  it('fails running and later requests once closed', async () => {
    const own = new GenerationPool({ workers: 1 });
    const running = own.generate({ versionId: 'slow', load: async () => slow, parts: cancel, sampling: { maxNewTokens: 200, temperature: 0 } });
    await running.next();
    await own.close();
    await expect(running.next()).rejects.toThrow(GenerationError);
    await expect(own.prepare('slow', async () => slow)).rejects.toThrow(/closed/);
  });
});
