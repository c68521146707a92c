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
import type { AppEnv } from '../../deps.js';
import { clientIp } from '../../http/client-ip.js';
import { parseJson, uuidParam } from '../../http/parse.js';
import { bodyLimit } from '../../middleware/body-limit/index.js';
import { widgetCors } from '../../middleware/widget-cors/index.js';
import { rateLimit, type RateLimitRule } from '../../middleware/rate-limit/index.js';
import { visitorAuth } from '../../middleware/visitor-auth/index.js';
import { chooseComparison } from '../../services/widget/choose-comparison.js';
import { createConversation, getConversation } from '../../services/widget/conversations.js';
import { flagConversation } from '../../services/widget/flag-conversation.js';
import { recordFeedback } from '../../services/widget/record-feedback.js';
import { startTurn } from '../../services/widget/send-message.js';
import { startSession } from '../../services/widget/start-session.js';
import { sendTurn } from './send-turn.js';

/** The public API the embedded widget talks to, under /v1/widget. */
export function widgetRoutes(): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.use(widgetCors());
  r.use(bodyLimit({ maxBytes: Limits.widgetBodyBytes }));
  const perIp: RateLimitRule = {
    name: 'ip',
    key: (c) => clientIp(c, c.get('deps').config.trustProxy),
    limit: (c) => c.get('deps').config.rateLimitIp,
  };
  const perVisitor: RateLimitRule = {
    name: 'visitor',
    key: (c) => c.get('visitor').visitorId,
    limit: (c) => c.get('deps').config.rateLimitVisitor,
  };

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

  authed.post('/messages/:id/feedback', async (c) => {
    const messageId = uuidParam(c, 'id', 'message');
    const input = await parseJson(c, FeedbackRequest);
    return c.json(await recordFeedback({ deps: c.get('deps'), visitor: c.get('visitor'), messageId, input }));
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
