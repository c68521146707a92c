import type { Hono } from 'hono';
import type { AppEnv } from '../../server/deps.js';
import { ORIGIN } from './fixtures.js';

type App = Hono<AppEnv>;

/** Calls the widget API the way a browser on `origin` would (Origin header, bearer token, JSON). */
export function widgetClient(app: App, opts: { origin?: string | null; ip?: string } = {}) {
  const origin = opts.origin === undefined ? ORIGIN : opts.origin;
  const env = { incoming: { socket: { remoteAddress: opts.ip ?? '203.0.113.7' } } };
  let token: string | undefined;
  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(
      path,
      {
        method,
        headers: {
          ...(origin ? { Origin: origin } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      },
      env,
    );
  return {
    request,
    setToken(t: string | undefined) {
      token = t;
    },
    async session(siteKey: string, visitorId?: string) {
      const res = await request('POST', '/v1/widget/sessions', { siteKey, ...(visitorId ? { visitorId } : {}) });
      if (res.status !== 201) throw new Error(`session failed ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { visitorToken: string; visitorId: string };
      token = body.visitorToken;
      return body;
    },
    async conversation(): Promise<string> {
      const res = await request('POST', '/v1/widget/conversations', {});
      if (res.status !== 201) throw new Error(`conversation failed ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { conversationId: string }).conversationId;
    },
    /** Sends a message in JSON mode and returns the parsed answer. */
    async ask(conversationId: string, text: string, clientMessageId = `m-${crypto.randomUUID()}`) {
      const res = await request('POST', `/v1/widget/conversations/${conversationId}/messages`, { clientMessageId, text }, { Accept: 'application/json' });
      if (res.status !== 200) throw new Error(`ask failed ${res.status}: ${await res.text()}`);
      return (await res.json()) as {
        messages: { id: string; role: string; content: string; responder: string | null }[];
        comparison?: { id: string; a: string; b: string; choice: string | null };
      };
    },
  };
}

/** Parses a complete text/event-stream body into events. */
export function parseSse(text: string): { event: string; data: any }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      return { event, data: JSON.parse(data.join('\n')) };
    });
}
