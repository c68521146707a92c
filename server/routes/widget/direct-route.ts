import type { Context, Handler } from 'hono';
import { Limits } from '../../../protocol/limits.js';
import type { AppDeps, AppEnv } from '../../deps.js';
import { requestHeader } from '../../http/header.js';
import { onError } from '../../http/on-error.js';
import { bodyLimit } from '../../middleware/body-limit/index.js';
import { checkRateLimits } from '../../middleware/rate-limit/index.js';
import { SECURITY_HEADERS } from '../../middleware/security-headers/index.js';
import { authenticateVisitor } from '../../middleware/visitor-auth/index.js';
import { corsHeaders } from '../../middleware/widget-cors/index.js';
import type { Visitor } from '../../services/widget/conversations.js';
import { perIp, perVisitor } from './rate-rules.js';

/** Answer headers per Origin (security + CORS + JSON type), built once; any origin may ask, so bounded. */
const headersByOrigin = new Map<string, Readonly<Record<string, string>>>();
const NO_ORIGIN = Object.freeze({ ...SECURITY_HEADERS, 'content-type': 'application/json' });

function answerHeaders(origin: string | undefined): Readonly<Record<string, string>> {
  if (!origin) return NO_ORIGIN;
  let headers = headersByOrigin.get(origin);
  if (!headers) {
    if (headersByOrigin.size >= 1_000) headersByOrigin.delete(headersByOrigin.keys().next().value!);
    headersByOrigin.set(origin, (headers = Object.freeze({ ...NO_ORIGIN, ...corsHeaders(origin) })));
  }
  return headers;
}

/**
 * An authenticated widget route as ONE handler, for the hottest writes (thumbs): the same steps, in the
 * same order, as the app's middleware chain for widget routes — security and CORS headers, body limit,
 * visitor token + site + Origin, per-IP and per-visitor rate limits — called directly, and the JSON answer
 * built with plain-object headers (no WHATWG Headers, which @hono/node-server would rebuild per answer).
 * Register it on the app *before* the app-wide middleware; it never calls on (next). Errors become the
 * usual `{"error":{code,message}}` answers through `onError`, with the same headers.
 */
export function directWidgetRoute(deps: AppDeps, handle: (c: Context<AppEnv>, visitor: Visitor) => Promise<unknown>): Handler<AppEnv> {
  const limitBody = bodyLimit({ maxBytes: Limits.widgetBodyBytes });
  return async function directWidgetHandler(c) {
    c.set('deps', deps);
    const headers = answerHeaders(requestHeader(c, 'origin'));
    try {
      let body: unknown;
      await limitBody(c, async () => {
        const visitor = await authenticateVisitor(c);
        c.set('visitor', visitor);
        checkRateLimits(c, [perIp, perVisitor]);
        body = await handle(c, visitor);
      });
      return new Response(JSON.stringify(body), { status: 200, headers });
    } catch (err) {
      for (const k in headers) if (k !== 'content-type') c.header(k, headers[k]);
      return onError(err instanceof Error ? err : new Error(String(err)), c);
    }
  };
}
