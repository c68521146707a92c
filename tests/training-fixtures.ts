/** Helpers of the training suites: a tiny SFT config, a site with knowledge, the suite's database URL. */
import { expect } from 'vitest';
import type { SftConfigInput, TrainingRunView } from '../protocol/training.js';
import { KNOWLEDGE } from './support/fixtures.js';
import { call, ownedSite, type Session } from './admin-fixtures.js';
import type { TestApp } from './support/app.js';

/** Seconds on 2 cores: 1 layer, width 16, a ~300-id tokenizer, 20 steps of 4 examples. */
export const TINY_SFT: SftConfigInput = {
  steps: 20,
  batchSize: 4,
  blockSize: 96,
  lr: 1e-2,
  warmupSteps: 2,
  logEvery: 5,
  topKPassages: 2,
  base: 'none',
  model: { vocabSize: 320, nLayer: 1, nHead: 2, nEmbd: 16 },
};

/** A site owned by `owner` with the five-entry test knowledge base, imported through the API. */
export async function siteWithKnowledge(t: TestApp, owner: Session, name = 'Train Shop'): Promise<string> {
  const site = await ownedSite(t, owner, name);
  const res = await call(t, owner, 'POST', `/sites/${site.id}/knowledge`, { body: KNOWLEDGE });
  expect(res.status).toBe(200);
  return site.id;
}

export async function startRun(t: TestApp, owner: Session, siteId: string, config: SftConfigInput = TINY_SFT): Promise<TrainingRunView> {
  const res = await call(t, owner, 'POST', `/sites/${siteId}/training-runs`, { body: { kind: 'sft', config } });
  expect(res.status).toBe(202);
  return (await res.json()) as TrainingRunView;
}

/** postgres://… of the suite's own database (makeTestApp does not hand out its URL). */
export function databaseUrlOf(t: TestApp): string {
  const o = t.sql.options as unknown as { host: string[]; port: number[]; database: string; user: string; pass: string | null };
  const auth = o.pass ? `${encodeURIComponent(o.user)}:${encodeURIComponent(o.pass)}` : encodeURIComponent(o.user);
  return `postgres://${auth}@${o.host[0]}:${o.port[0]}/${o.database}`;
}
