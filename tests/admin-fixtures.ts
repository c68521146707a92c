/**
 * Helpers for the admin API suites: staff accounts, sign-in, authenticated requests, and feedback
 * rows seeded straight into the tables (the widget API that writes them is tested on its own).
 */
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '../server/db/client.js';
import {
  comparisons,
  conversations,
  feedbackEvents,
  flags,
  memberships,
  messages,
  visitors,
  type Alternative,
} from '../server/db/schema.js';
import { createSite } from '../server/services/sites/create.js';
import { createOwner } from '../server/services/staff/create-owner.js';
import type { TestApp } from './support/app.js';

export const PASSWORD = 'correct horse battery';

let counter = 0;
export const uniqueEmail = (label: string) => `${label}-${Date.now().toString(36)}-${++counter}@example.test`;

export interface Session {
  userId: string;
  email: string;
  /** `rapport_session=…`, ready for a Cookie header. */
  cookie: string;
  csrfToken: string;
}

/** Creates a staff account and signs it in through the API. */
export async function staffSession(t: TestApp, label = 'staff'): Promise<Session> {
  const email = uniqueEmail(label);
  const user = await createOwner({ db: t.db, input: { email, password: PASSWORD } });
  return signIn(t, user.email, PASSWORD, user.id);
}

export async function signIn(t: TestApp, email: string, password: string, userId?: string): Promise<Session> {
  const res = await t.app.request('/v1/admin/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `10.0.${counter % 250}.${++counter % 250}` },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { user: { id: string; email: string }; csrfToken: string };
  const cookie = /rapport_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  expect(cookie).toBeDefined();
  return { userId: userId ?? body.user.id, email: body.user.email, cookie: cookie!, csrfToken: body.csrfToken };
}

type Auth = Session | { token: string } | null;

export interface CallOptions {
  body?: unknown;
  /** Raw body with this Content-Type instead of JSON. */
  raw?: { body: string; type: string };
  /** Send the session's CSRF token on writes (default true). */
  csrf?: boolean;
  headers?: Record<string, string>;
}

/** A request to the admin API as `auth` (a session, an API token or nobody). */
export async function call(t: TestApp, auth: Auth, method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (auth && 'cookie' in auth) {
    headers.Cookie = auth.cookie;
    if (opts.csrf !== false && method !== 'GET') headers['X-CSRF-Token'] = auth.csrfToken;
  } else if (auth) {
    headers.Authorization = `Bearer ${auth.token}`;
  }
  let body: string | undefined;
  if (opts.raw) {
    headers['Content-Type'] = opts.raw.type;
    body = opts.raw.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  return t.app.request(`/v1/admin${path}`, { method, headers, body });
}

/** Asserts an error response: status and `error.code`. */
export async function expectError(res: Response, status: number, code?: string): Promise<{ code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect({ status: res.status, code: code ? body.error?.code : undefined }).toEqual({ status, code });
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

/** A site owned by `owner`, created through the service. */
export async function ownedSite(t: TestApp, owner: { userId: string }, name = 'Acme') {
  return createSite({ db: t.db, input: { name, allowedOrigins: ['https://acme.example'] }, ownerUserId: owner.userId });
}

export async function addMember(db: Db, userId: string, siteId: string, role: 'owner' | 'admin' | 'reviewer') {
  await db.insert(memberships).values({ userId, siteId, role });
}

// ---------------------------------------------------------------- seeded conversations

export interface SeededTurn {
  user: { id: string; seq: number };
  assistant: { id: string; seq: number };
}

/** A conversation of `siteId` with one visitor; messages are added with `say`. */
export async function seedConversation(db: Db, siteId: string, opts: { updatedAt?: Date; status?: 'open' | 'flagged' | 'resolved' } = {}) {
  const [visitor] = await db.insert(visitors).values({ siteId }).returning();
  const [conversation] = await db
    .insert(conversations)
    .values({ siteId, visitorId: visitor!.id, status: opts.status ?? 'open', ...(opts.updatedAt ? { updatedAt: opts.updatedAt } : {}) })
    .returning();
  const conversationId = conversation!.id;
  const visitorId = visitor!.id;
  let events = 0;

  async function say(role: 'user' | 'assistant' | 'staff', content: string, extra: { replyToId?: string; failed?: boolean } = {}) {
    const [m] = await db
      .insert(messages)
      .values({
        siteId,
        conversationId,
        role,
        content,
        ...(role === 'assistant' ? { responder: 'retrieval', modelVersion: 'kb-1' } : {}),
        ...extra,
      })
      .returning();
    return m!;
  }

  return {
    id: conversationId,
    visitorId,
    say,
    /** A visitor question and its plain answer. */
    async turn(question: string, answer: string) {
      const user = await say('user', question);
      const assistant = await say('assistant', answer, { replyToId: user.id });
      return { user, assistant };
    },
    /** A visitor question answered side by side; `choice` decided (content follows the choice like the widget API). */
    async compare(question: string, a: string, b: string, choice: 'a' | 'b' | 'tie' | 'both_bad' | null) {
      const user = await say('user', question);
      const altA: Alternative = { content: a, responder: 'policy', modelVersion: 'v2' };
      const altB: Alternative = { content: b, responder: 'policy', modelVersion: 'v1' };
      const assistant = await say('assistant', choice === 'b' ? b : a, { replyToId: user.id });
      await db.update(messages).set({ alternatives: [altA, altB] }).where(eq(messages.id, assistant.id));
      const [comparison] = await db
        .insert(comparisons)
        .values({
          siteId,
          conversationId,
          messageId: assistant.id,
          a: altA,
          b: altB,
          choice,
          ...(choice ? { choiceClientEventId: `choice-${assistant.id}`, chosenAt: new Date() } : {}),
        })
        .returning();
      return { user, assistant, comparison: comparison! };
    },
    /** Thumbs on a message: every call is a history event; the last one is the current value. */
    async rate(messageId: string, rating: 'up' | 'down' | null, reasons: string[] = []) {
      await db.insert(feedbackEvents).values({ siteId, messageId, visitorId, clientEventId: `ev-${++events}-${messageId}`, rating, reasons });
    },
    async flag(reason: 'wrong' | 'harmful' | 'wants_human' | 'other' = 'wrong') {
      await db.insert(flags).values({ siteId, conversationId, visitorId, clientEventId: `flag-${++events}`, reason });
      await db.update(conversations).set({ status: 'flagged' }).where(eq(conversations.id, conversationId));
    },
  };
}

/** Parses a JSONL body into objects (and checks every line ends with a newline). */
export async function jsonl(res: Response): Promise<unknown[]> {
  const text = await res.text();
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line));
}
