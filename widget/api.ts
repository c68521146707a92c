import type { ErrorBody } from '../protocol/errors.js';
import type {
  ConversationView,
  CreateSessionRequest,
  CreateSessionResponse,
  SendMessageRequest,
} from '../protocol/widget.js';

/** A non-2xx answer, carrying the server's stable error `code` (see protocol/errors.ts). */
export class ApiError extends Error {
  // `declare`: no class-field emit, which es2019 output would lower with helper functions.
  declare readonly status: number;
  declare readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

type Fetch = typeof fetch;
type Options = { auth?: boolean; accept?: string };

async function toError(res: Response): Promise<ApiError> {
  try {
    const { error } = (await res.json()) as ErrorBody;
    return new ApiError(res.status, error.code, error.message);
  } catch {
    return new ApiError(res.status, `http_${res.status}`, res.statusText);
  }
}

/**
 * The widget's view of `/v1/widget/*`. Holds the visitor token; when a call comes back 401 (token
 * expired, server secret rotated) it asks `onUnauthorized` for a new token once and repeats the call.
 */
export function createApi(base: string, fetchFn: Fetch = (...a) => fetch(...a)) {
  let token = '';
  let renew: (() => Promise<string>) | null = null;
  let renewing: Promise<string> | null = null;

  async function request(method: string, path: string, body: unknown, o: Options = {}): Promise<Response> {
    const auth = o.auth !== false;
    const send = () =>
      fetchFn(base + path, {
        method,
        headers: {
          accept: o.accept ?? 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(auth && token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const res = await send();
    if (res.status !== 401 || !auth || !renew) return res;
    // Concurrent 401s share one renewal instead of opening one session each.
    renewing ??= renew().finally(() => (renewing = null));
    token = await renewing;
    return send();
  }

  async function json<T>(method: string, path: string, body?: unknown, o?: Options): Promise<T> {
    const res = await request(method, path, body, o);
    if (!res.ok) throw await toError(res);
    return (await res.json()) as T;
  }

  return {
    onUnauthorized(fn: () => Promise<string>): void {
      renew = fn;
    },

    async createSession(req: CreateSessionRequest): Promise<CreateSessionResponse> {
      const res = await json<CreateSessionResponse>('POST', '/v1/widget/sessions', req, { auth: false });
      token = res.visitorToken;
      return res;
    },

    createConversation(clientConversationId: string): Promise<{ conversationId: string }> {
      return json('POST', '/v1/widget/conversations', { clientConversationId });
    },

    getConversation(id: string): Promise<ConversationView> {
      return json('GET', `/v1/widget/conversations/${encodeURIComponent(id)}`);
    },

    /** Resolves with the event stream once the server has accepted the message; throws before that. */
    async openMessageStream(conversationId: string, req: SendMessageRequest): Promise<ReadableStream<Uint8Array>> {
      const path = `/v1/widget/conversations/${encodeURIComponent(conversationId)}/messages`;
      const res = await request('POST', path, req, { accept: 'text/event-stream' });
      if (!res.ok) throw await toError(res);
      if (!res.body) throw new ApiError(res.status, 'no_stream', 'the server sent no event stream');
      return res.body;
    },

    /**
     * For the outbox: the status only. No `keepalive`: not every browser preflights keepalive
     * requests, and a write cut off by unload is retried from the outbox on the next page view.
     */
    async post(path: string, body: unknown): Promise<number> {
      return (await request('POST', path, body)).status;
    },
  };
}

export type Api = ReturnType<typeof createApi>;
