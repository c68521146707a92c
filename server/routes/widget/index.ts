import { Hono } from 'hono';
import { Limits } from '../../../protocol/limits.js';
import {
  ChoiceRequest,
  CreateConversationRequest,
  CreateSessionRequest,
  FeedbackRequest,
  FlagRequest,
  SendMessageRequest,
} from '../../../protocol/widget.js';
import type { AppDeps, AppEnv } from '../../deps.js';
import { parseJson, uuidParam } from '../../http/parse.js';
import { bodyLimit } from '../../middleware/body-limit/index.js';
import { widgetCors } from '../../middleware/widget-cors/index.js';
import { rateLimit } from '../../middleware/rate-limit/index.js';
import { visitorAuth } from '../../middleware/visitor-auth/index.js';
import { chooseComparison } from '../../services/widget/choose-comparison.js';
import { createConversation, getConversation } from '../../services/widget/conversations.js';
import { flagConversation } from '../../services/widget/flag-conversation.js';
import { recordFeedback } from '../../services/widget/record-feedback.js';
import { startTurn } from '../../services/widget/send-message.js';
import { startSession } from '../../services/widget/start-session.js';
import { directWidgetRoute } from './direct-route.js';
import { perIp, perVisitor } from './rate-rules.js';
import { sendTurn } from './send-turn.js';

/** The public API the embedded widget talks to, under /v1/widget. */
export function widgetRoutes(): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.use(widgetCors());
  r.use(bodyLimit({ maxBytes: Limits.widgetBodyBytes }));

  r.post('/sessions', rateLimit({ rules: [perIp] }), async (c) => {
    const input = await parseJson(c, CreateSessionRequest);
    return c.json(await startSession({ deps: c.get('deps'), input, origin: c.req.header('origin') }), 201);
  });

  const authed = new Hono<AppEnv>();
  authed.use(visitorAuth());
  // Both counters in one Redis round trip.
  authed.use(rateLimit({ rules: [perIp, perVisitor] }));

  authed.post('/conversations', async (c) => {
    // The body is optional here: a bare POST starts a conversation.
    const input = c.req.header('content-type') ? await parseJson(c, CreateConversationRequest) : {};
    const result = await createConversation({ db: c.get('deps').db, visitor: c.get('visitor'), ...input });
    return c.json(result, 201);
  });

  authed.get('/conversations/:id', async (c) => {
    const conversationId = uuidParam(c, 'id', 'conversation');
    return c.json(await getConversation({ db: c.get('deps').db, visitor: c.get('visitor'), conversationId }));
  });

  authed.post('/conversations/:id/messages', async (c) => {
    const conversationId = uuidParam(c, 'id', 'conversation');
    const input = await parseJson(c, SendMessageRequest);
    const turn = await startTurn({ deps: c.get('deps'), visitor: c.get('visitor'), conversationId, input });
    return sendTurn(c, turn);
  });

  authed.post('/comparisons/:id/choice', async (c) => {
    const comparisonId = uuidParam(c, 'id', 'comparison');
    const input = await parseJson(c, ChoiceRequest);
    return c.json(await chooseComparison({ deps: c.get('deps'), visitor: c.get('visitor'), comparisonId, input }));
  });

  authed.post('/conversations/:id/flag', async (c) => {
    const conversationId = uuidParam(c, 'id', 'conversation');
    const input = await parseJson(c, FlagRequest);
    return c.json(await flagConversation({ deps: c.get('deps'), visitor: c.get('visitor'), conversationId, input }));
  });

  r.route('/', authed);
  return r;
}

/**
 * The hottest widget writes as direct routes (see direct-route.ts), mounted on the app ahead of its
 * middleware. Same contract as the routes above.
 */
export function directWidgetRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.post(
    '/v1/widget/messages/:id/feedback',
    directWidgetRoute(deps, async (c, visitor) => {
      const messageId = uuidParam(c, 'id', 'message');
      const input = await parseJson(c, FeedbackRequest);
      return recordFeedback({ deps, visitor, messageId, input });
    }),
  );
}
