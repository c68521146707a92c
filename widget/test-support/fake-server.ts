/**
 * A test double of the network (not of widget code): a `fetch` that answers the widget API the
 * way the server contract in protocol/ says, records every request, and lets a test drive a reply's
 * event stream chunk by chunk.
 */
import type { ConversationView, SiteInfo } from '../../protocol/widget.js';

export type Recorded = { method: string; path: string; headers: Record<string, string>; body: any };
type Handler = (req: Recorded) => Response | Promise<Response>;

export const ids = {
  visitor: '11111111-1111-4111-8111-111111111111',
  conversation: '22222222-2222-4222-8222-222222222222',
  userMessage: '33333333-3333-4333-8333-333333333333',
  reply: '44444444-4444-4444-8444-444444444444',
  comparison: '55555555-5555-4555-8555-555555555555',
};

export const defaultSite: SiteInfo = {
  name: 'Acme',
  greeting: 'Hi! Ask me anything about Acme.',
  theme: { accent: '#ff0066', position: 'right' },
  locale: 'en',
  compareRate: 0,
};

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export function apiError(status: number, code: string, message: string): Response {
  return json(status, { error: { code, message } });
}

/** A response body the test writes server-sent events into, one `send` at a time. */
export function eventStream() {
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (ctrl = c) });
  const enc = new TextEncoder();
  return {
    response: () => new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    send(event: string, data: unknown) {
      ctrl.enqueue(enc.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
    },
    close: () => ctrl.close(),
  };
}

export function message(over: Partial<ConversationView['messages'][number]> = {}): ConversationView['messages'][number] {
  return {
    id: ids.reply,
    role: 'assistant',
    content: '',
    clientMessageId: null,
    responder: 'policy',
    modelVersion: 'v1',
    comparison: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}

export function fakeServer(site: SiteInfo = defaultSite) {
  const requests: Recorded[] = [];
  const routes: { method: string; path: RegExp; handler: Handler }[] = [];
  const on = (method: string, path: RegExp, handler: Handler) => void routes.unshift({ method, path, handler });

  on('POST', /^\/v1\/widget\/sessions$/, () => json(200, { visitorToken: 'tok-1', visitorId: ids.visitor, site }));
  on('POST', /^\/v1\/widget\/conversations$/, () => json(200, { conversationId: ids.conversation }));
  on('POST', /\/(feedback|choice|flag)$/, () => json(200, {}));

  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>));
    const req: Recorded = {
      method: init.method ?? 'GET',
      path: url.pathname,
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(req);
    const route = routes.find((r) => r.method === req.method && r.path.test(req.path));
    return route ? route.handler(req) : apiError(404, 'not_found', `no route ${req.method} ${req.path}`);
  };

  return {
    fetch: fetch as typeof globalThis.fetch,
    requests,
    on,
    /** Requests whose path ends with `suffix`. */
    sent: (suffix: string) => requests.filter((r) => r.path.endsWith(suffix)),
  };
}
