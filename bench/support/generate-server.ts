/**
 * Child process of bench/generate.ts: the real server (app, Postgres, Redis, generation workers) on a
 * loopback port, with the shipped base policy installed as a shared model (install-base.ts) and activated
 * for one site whose knowledge is the Bitext TRAINING split (the held-out questions are not in it, as
 * for a real visitor). The site starts without a policy (retrieval answers: the route's own share of
 * the time to first token); the line "activate" on stdin activates the base for it, as the admin route
 * does. Prints one JSON line with what the client needs, then a line per activation, and serves until
 * killed.
 *   argv: <databaseUrl> <models dir>
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { serve } from '@hono/node-server';
import { createApp } from '../../server/app.js';
import { buildDeps } from '../../server/build-deps.js';
import { loadConfig } from '../../server/config.js';
import { importKnowledge } from '../../server/services/knowledge/import.js';
import { installBaseModel } from '../../server/services/models/install-base.js';
import { createSite } from '../../server/services/sites/create.js';
import { createOwner } from '../../server/services/staff/create-owner.js';
import { activateModel } from '../../server/services/training/activate-model.js';
import { DEFAULT_SPLIT, loadBitext, splitBitext } from '../../trainer/base/split.js';

const [databaseUrl, modelsDir] = process.argv.slice(2) as [string, string];
const ORIGIN = 'http://bench.local';
const config = {
  ...loadConfig({ ...process.env, RATE_LIMIT_IP_PER_MIN: '100000000', RATE_LIMIT_VISITOR_PER_MIN: '100000000', REDIS_PREFIX: `rapport-bench:${randomBytes(3).toString('hex')}:` }),
  secret: randomBytes(32).toString('hex'),
};
const { deps, close } = buildDeps({ config, databaseUrl });

const base = await installBaseModel({ db: deps.db, dir: modelsDir, log: (l) => process.stderr.write(`${l}\n`) });
if (!base) throw new Error(`no base model in ${modelsDir}: run npm run train:base, or pass --dir`);
const owner = await createOwner({ db: deps.db, input: { email: `bench-${randomBytes(3).toString('hex')}@example.test`, password: randomBytes(12).toString('hex') } });
const site = await createSite({ db: deps.db, input: { name: 'Bench Shop', allowedOrigins: [ORIGIN] }, ownerUserId: owner.id });
const split = splitBitext(loadBitext(), DEFAULT_SPLIT);
await importKnowledge({ db: deps.db, siteId: site.id, entries: split.train.map((e) => ({ question: e.question, answer: e.answer, intent: e.intent })) });

createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line.trim() !== 'activate') return;
  const { model } = await activateModel({ db: deps.db, userId: owner.id, versionId: base.version.id, siteId: site.id });
  deps.assistant.invalidate(site.id);
  process.stdout.write(`${JSON.stringify({ activated: model.id })}\n`);
});

const server = serve({ fetch: createApp(deps).fetch, port: 0, hostname: '127.0.0.1' }, (addr) => {
  process.stdout.write(
    `${JSON.stringify({ port: addr.port, origin: ORIGIN, siteKey: site.publicKey, model: base.version.name, params: base.version.metrics.params, workers: config.generationWorkers, maxNewTokens: config.generationMaxTokens })}\n`,
  );
});
process.on('SIGTERM', () => {
  server.close();
  void close().then(() => process.exit(0));
});
