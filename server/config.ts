import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { DEFAULT_POLICY_SERVING } from '../assistant/policy/policy-responder.js';

/**
 * Every setting the server reads, from the environment. Documented in README.md ("Configuration").
 * `loadConfig()` validates once at start-up so a typo fails fast with a message naming the variable.
 */
export const Config = z.object({
  /** HTTP port of the API, widget and console. */
  port: z.coerce.number().int().min(0).max(65535).default(8787),
  /** Interface to listen on. */
  host: z.string().default('127.0.0.1'),
  /** Public base URL of this server, as host pages reach it (used in embed snippets). */
  publicUrl: z.string().url().optional(),
  /** Postgres URL. Unset: `npm start` runs an embedded Postgres in `dataDir`. */
  databaseUrl: z.string().optional(),
  /** Redis URL (rate limits, pub/sub, queues). */
  redisUrl: z.string().default('redis://127.0.0.1:6379'),
  /** Secret that signs visitor tokens. Unset: generated once and kept in `dataDir/secret`. */
  secret: z.string().min(16).optional(),
  /** Folder for the embedded Postgres data and the generated secret. */
  dataDir: z.string().default('.data'),
  /** Port of the demo host page (a second origin that embeds the widget); 0 disables it. */
  demoPort: z.coerce.number().int().min(0).max(65535).default(8788),
  /** Requests per minute per visitor on widget routes. */
  rateLimitVisitor: z.coerce.number().int().positive().default(120),
  /** Requests per minute per client IP on widget routes. */
  rateLimitIp: z.coerce.number().int().positive().default(600),
  /** Trust the first X-Forwarded-For hop as the client IP (only behind a proxy you run). */
  trustProxy: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Prefix of every Redis key this server writes (lets several deployments share one Redis). */
  redisPrefix: z.string().default('rapport:'),
  /**
   * Worker threads that run the sites' policies (started on first use). Default: one per core beyond
   * the first, at least 1 — the event loop keeps a core; on 2 cores that is 1 worker.
   */
  generationWorkers: z.coerce.number().int().min(1).max(64).default(Math.max(1, Math.min(4, availableParallelism() - 1))),
  /** Most tokens of a generated answer (also capped at half the policy's context). */
  generationMaxTokens: z.coerce.number().int().min(1).max(4096).default(160),
  /** Sampling temperature of generated answers; 0 = greedy (the most faithful copy of the retrieved passage). */
  generationTemperature: z.coerce.number().min(0).max(2).default(0),
  /** Logit bonus for continuing a span of the retrieved passages (assistant/model/copy-bias.ts); 0 = off. */
  generationCopyBias: z.coerce.number().min(0).max(50).default(DEFAULT_POLICY_SERVING.copyBias),
});
export type Config = z.infer<typeof Config>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = Config.safeParse({
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    secret: env.RAPPORT_SECRET,
    dataDir: env.DATA_DIR,
    demoPort: env.DEMO_PORT,
    rateLimitVisitor: env.RATE_LIMIT_VISITOR_PER_MIN,
    rateLimitIp: env.RATE_LIMIT_IP_PER_MIN,
    trustProxy: env.TRUST_PROXY,
    redisPrefix: env.REDIS_PREFIX,
    generationWorkers: env.GENERATION_WORKERS,
    generationMaxTokens: env.GENERATION_MAX_TOKENS,
    generationTemperature: env.GENERATION_TEMPERATURE,
    generationCopyBias: env.GENERATION_COPY_BIAS,
  });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`configuration: ${issue.path.join('.')}: ${issue.message} (see README.md, "Configuration")`);
  }
  return result.data;
}
