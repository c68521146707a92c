import type { Redis } from 'ioredis';
import type { GenerationPool } from '../assistant/policy/generation-pool.js';
import type postgres from 'postgres';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import type { AssistantService } from './services/assistant/assistant.js';

/** Everything a request handler may need, built once by `server/main.ts` (or a test) and passed in. */
export interface AppDeps {
  db: Db;
  /** Raw postgres.js client for hand-written hot-path SQL. */
  sql: postgres.Sql;
  redis: Redis;
  config: Config & { secret: string };
  assistant: AssistantService;
  /** Worker threads that generate with the sites' policies. */
  generation: GenerationPool;
  /** Resolves once this process hears "model activated" messages (hot swap). */
  modelActivations: Promise<void>;
  /** Absolute path of the built widget bundle served at /widget.js (dist/widget/widget.js). */
  widgetFile: string;
}

/** Hono environment shared by all routers: `c.get('deps')` and what auth middleware attach. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    /** Set by the visitor-token middleware on widget routes. */
    visitor: { siteId: string; visitorId: string };
    /** Set by the staff-auth middleware on admin routes. */
    staff: { userId: string; email: string; via: 'session' | 'token' };
  };
}
