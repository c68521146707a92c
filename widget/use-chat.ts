import { useMemo, useReducer, useRef } from 'preact/hooks';
import type { ComparisonChoice, FlagReason } from '../protocol/widget.js';
import { Limits } from '../protocol/limits.js';
import { ApiError, type Api } from './api.js';
import { chatReducer, emptyChat, type ChatMessage, type Feedback } from './chat-state.js';
import { newId } from './ids.js';
import type { Outbox } from './outbox.js';
import { readEventStream } from './sse.js';
import { loadVisitor, saveVisitor, type KeyValue } from './storage.js';

export type ChatDeps = { api: Api; outbox: Outbox; store: KeyValue; siteKey: string };

const is404 = (e: unknown) => e instanceof ApiError && e.status === 404;
const clip = (s: string | null | undefined) => (s ?? '').trim().slice(0, Limits.commentChars);

/** The conversation's state plus every action the panel can take on it. */
export function useChat({ api, outbox, store, siteKey }: ChatDeps) {
  const [state, dispatch] = useReducer(chatReducer, emptyChat);
  // The actions below are created once; they read the current messages through this ref.
  const latest = useRef(state);
  latest.current = state;
  const conversation = useRef(loadVisitor(store, siteKey).conversationId ?? null);
  const loaded = useRef(false);

  const actions = useMemo(() => {
    const forget = () => {
      conversation.current = null;
      saveVisitor(store, siteKey, { conversationId: undefined, clientConversationId: undefined });
    };

    // Created on the first message, not on page load, so page views without a chat leave no rows.
    // The client id is stored first so a retried creation returns the same conversation.
    const ensureConversation = async (): Promise<string> => {
      if (conversation.current) return conversation.current;
      const clientConversationId = loadVisitor(store, siteKey).clientConversationId ?? newId();
      saveVisitor(store, siteKey, { clientConversationId });
      const { conversationId } = await api.createConversation(clientConversationId);
      saveVisitor(store, siteKey, { conversationId });
      return (conversation.current = conversationId);
    };

    const deliver = async (clientMessageId: string, text: string) => {
      let body: ReadableStream<Uint8Array>;
      try {
        body = await api.openMessageStream(await ensureConversation(), { clientMessageId, text });
      } catch (e) {
        if (is404(e)) forget();
        dispatch({ type: 'failed', clientMessageId });
        return;
      }
      let finished = false;
      try {
        await readEventStream(body, (event) => {
          finished ||= event.event === 'done' || event.event === 'error';
          dispatch({ type: 'stream', clientMessageId, event });
        });
      } catch {
        // A dropped connection is reported below like any stream that ended early.
      }
      if (!finished) dispatch({ type: 'broken', clientMessageId });
    };

    const enqueue = (path: string, body: Record<string, unknown>) => {
      const clientEventId = newId();
      outbox.enqueue(clientEventId, path, { clientEventId, ...body });
    };

    return {
      /** Renders the stored conversation after a reload; a deleted one is forgotten. */
      async load(): Promise<void> {
        // Once per panel lifetime: after that the local state is the fuller one.
        if (loaded.current) return;
        loaded.current = true;
        if (!conversation.current) return;
        try {
          dispatch({ type: 'history', view: await api.getConversation(conversation.current) });
        } catch (e) {
          if (is404(e)) forget();
          else loaded.current = false; // try again on the next open
        }
      },
      send(text: string): void {
        const clientMessageId = newId();
        dispatch({ type: 'send', clientMessageId, text });
        void deliver(clientMessageId, text);
      },
      /**
       * Sends a question again, after it failed to send or its reply failed. Same clientMessageId:
       * the server stores the message once however often it arrives, and replays a stored reply.
       */
      retry(clientMessageId: string): void {
        const m = latest.current.messages.find((x) => x.key === clientMessageId && x.role === 'user');
        if (!m) return;
        dispatch({ type: 'retry', clientMessageId });
        void deliver(clientMessageId, m.content);
      },
      rate(messageId: string, f: Feedback): void {
        dispatch({ type: 'feedback', messageId, feedback: f });
        const comment = clip(f.comment);
        enqueue(`/v1/widget/messages/${encodeURIComponent(messageId)}/feedback`, {
          rating: f.rating,
          ...(f.reasons.length ? { reasons: f.reasons.slice(0, Limits.reasons) } : {}),
          ...(comment ? { comment } : {}),
        });
      },
      choose(m: ChatMessage, choice: ComparisonChoice): void {
        dispatch({ type: 'choice', messageId: m.id!, choice });
        enqueue(`/v1/widget/comparisons/${encodeURIComponent(m.comparison!.id)}/choice`, { choice });
      },
      /** Resolves false when no conversation could be created to attach the flag to. */
      async flag(reason: FlagReason, text?: string): Promise<boolean> {
        let id: string;
        try {
          id = await ensureConversation();
        } catch {
          return false;
        }
        const comment = clip(text);
        enqueue(`/v1/widget/conversations/${encodeURIComponent(id)}/flag`, { reason, ...(comment ? { comment } : {}) });
        return true;
      },
    };
  }, [api, outbox, store, siteKey]);
  // Actions stay the same object across renders so memoized children do not re-render per token.
  return { state, actions };
}

export type ChatActions = ReturnType<typeof useChat>['actions'];
