import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, loadGpt } from '../../assistant/model/index.js';
import { initTfjs } from '../../assistant/tfjs/index.js';
import { Tokenizer } from '../../assistant/tokenizer/index.js';
import { BaseManifest } from '../../server/services/models/base-manifest.js';
import { BaseConfig } from './config.js';
import { loadBitext, splitBitext } from './split.js';
import { trainBase } from './train-base.js';

beforeAll(async () => {
  await initTfjs({ log: () => {} });
});

// Every 12th Bitext entry: ~375 entries over all 27 intents, enough groups per intent to split.
const data = loadBitext().filter((_, i) => i % 12 === 0);
const tiny = BaseConfig.parse({ steps: 12, batchSize: 4, blockSize: 128, maxPromptTokens: 80, vocabSize: 300, nLayer: 1, nHead: 2, nEmbd: 16, lr: 1e-2, warmupSteps: 2, logEvery: 4 });

describe('trainBase (tiny smoke run)', () => {
  it('learns, and writes a loadable checkpoint with its tokenizer, prompt settings and a valid manifest', async () => {
    const { bytes, manifest } = await trainBase({ config: tiny, command: 'test', data });
    expect(BaseManifest.parse(manifest)).toBeTruthy();
    expect(manifest.finalLoss).toBeLessThan(manifest.firstLoss);
    expect(manifest.curve.map((p) => p.step)).toEqual([1, 4, 8, 12]);
    expect(manifest.bytes).toBe(bytes.byteLength);
    // the split recorded is the one the benchmark recomputes
    expect(manifest.split.heldOutSha256).toBe(splitBitext(data).definition.heldOutSha256);
    const { header } = decodeCheckpoint(bytes);
    expect(header.meta.prompt).toMatchObject({ topKPassages: 1, blockSize: 128, maxPromptTokens: 80 });
    const tokenizer = Tokenizer.fromJSON(header.meta.tokenizer);
    expect(tokenizer.vocabSize).toBe(manifest.tokenizerVocabSize);
    const model = loadGpt(bytes);
    expect(model.numParams()).toBe(manifest.params);
    model.dispose();
  });

  it('is reproducible: same data and config, same checkpoint bytes', async () => {
    const config = { ...tiny, steps: 3, logEvery: 3 };
    const a = await trainBase({ config, command: 'test', data });
    const b = await trainBase({ config, command: 'test', data });
    expect(a.manifest.sha256).toBe(b.manifest.sha256);
  });
});
