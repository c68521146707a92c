/**
 * What an SFT run starts from: a base checkpoint (its weights and the tokenizer saved in its meta),
 * or a fresh model with a tokenizer trained on the site's own corpus.
 */
import type { SftConfig } from '../../protocol/training.js';
import { decodeCheckpoint, Gpt, loadGpt } from '../../assistant/model/index.js';
import { Tokenizer, train } from '../../assistant/tokenizer/index.js';
import type { Db } from '../../server/db/client.js';
import { loadModelArtifact } from '../../server/services/models/load-artifact.js';
import { findBaseModel } from '../../server/services/training/base-model.js';
import { BadInputError } from '../errors.js';

/** Fresh models get this context unless the config sets one (see SftConfig.blockSize). */
export const FRESH_BLOCK_SIZE = 512;

export interface StartingPoint {
  model: Gpt;
  tokenizer: Tokenizer;
  /** The base version's id, or null for a fresh model. */
  baseId: string | null;
  /** Context length examples are cut to. */
  blockSize: number;
}

export async function startingPoint({
  db,
  siteId,
  config,
  corpus,
}: {
  db: Db;
  siteId: string;
  config: SftConfig;
  /** Texts to train a fresh tokenizer on (only read for a fresh model). */
  corpus: () => string[];
}): Promise<StartingPoint> {
  const base = await findBaseModel({ db, siteId, base: config.base });
  if (base === undefined) {
    throw new BadInputError(`config.base ${config.base} is not a policy of this site or a shared base model that can be trained from: pick one from GET /v1/admin/sites/${siteId}/models, or use "auto" or "none"`);
  }
  if (base === null) {
    const tokenizer = train(corpus(), { vocabSize: config.model.vocabSize });
    const blockSize = config.blockSize ?? FRESH_BLOCK_SIZE;
    const { nLayer, nHead, nEmbd, dropout } = config.model;
    const model = new Gpt({ vocabSize: tokenizer.vocabSize, blockSize, nLayer, nHead, nEmbd, dropout }, { seed: config.seed });
    return { model, tokenizer, baseId: null, blockSize };
  }
  const bytes = await loadModelArtifact({ db, versionId: base.id });
  const { header } = decodeCheckpoint(bytes);
  let tokenizer: Tokenizer;
  try {
    tokenizer = Tokenizer.fromJSON(header.meta.tokenizer);
  } catch (err) {
    throw new BadInputError(`base model ${base.name} (${base.id}) has no usable tokenizer in its checkpoint (${(err as Error).message}): retrain it, or use base "none"`);
  }
  const model = loadGpt(bytes);
  const context = model.config.blockSize;
  if (config.blockSize !== undefined && config.blockSize > context) {
    model.dispose();
    throw new BadInputError(`config.blockSize ${config.blockSize} exceeds the context of base model ${base.name} (${context} tokens): use at most ${context}, or base "none"`);
  }
  if (tokenizer.vocabSize > model.config.vocabSize) {
    model.dispose();
    throw new BadInputError(`base model ${base.name} has ${model.config.vocabSize} embeddings but its tokenizer ${tokenizer.vocabSize} ids: the checkpoint is inconsistent, retrain it`);
  }
  return { model, tokenizer, baseId: base.id, blockSize: config.blockSize ?? context };
}
