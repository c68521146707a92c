import type { StreamEvent } from '../protocol/events.js';
import type { Comparison, ComparisonChoice, ConversationView, Message, Rating } from '../protocol/widget.js';

export type ChatMessage = {
  /** Stable render key: the clientMessageId for the visitor's own turns, else the server id. */
  key: string;
  /** Server id; null until the server has stored the message. */
  id: string | null;
  role: Message['role'];
  content: string;
  clientMessageId: string | null;
  /** On a reply streamed in this page view: the clientMessageId of the question it answers. */
  replyTo: string | null;
  status: 'sending' | 'failed' | 'sent' | 'streaming' | 'error';
  comparison: Comparison | null;
};

export type Feedback = { rating: Rating | null; reasons: string[]; comment: string | null };

export type ChatState = { messages: ChatMessage[]; feedback: Record<string, Feedback> };

export type ChatAction =
  | { type: 'history'; view: ConversationView }
  | { type: 'send'; clientMessageId: string; text: string }
  /** The request failed before the stream started: offer a retry. */
  | { type: 'failed'; clientMessageId: string }
  | { type: 'retry'; clientMessageId: string }
  | { type: 'stream'; clientMessageId: string; event: StreamEvent }
  /** The stream ended without `done` or `error` (connection dropped). */
  | { type: 'broken'; clientMessageId: string }
  | { type: 'feedback'; messageId: string; feedback: Feedback }
  | { type: 'choice'; messageId: string; choice: ComparisonChoice };

export const emptyChat: ChatState = { messages: [], feedback: {} };

function fromServer(m: Message): ChatMessage {
  return {
    key: m.clientMessageId ?? m.id,
    id: m.id,
    role: m.role,
    content: m.content,
    clientMessageId: m.clientMessageId,
    replyTo: null,
    status: 'sent',
    comparison: m.comparison,
  };
}

const update = (s: ChatState, match: (m: ChatMessage) => boolean, patch: (m: ChatMessage) => Partial<ChatMessage>) => ({
  ...s,
  messages: s.messages.map((m) => (match(m) ? { ...m, ...patch(m) } : m)),
});

/** Turns the visitor's own turn and the reply being written into what the message list shows. */
export function chatReducer(s: ChatState, a: ChatAction): ChatState {
  switch (a.type) {
    case 'history': {
      const stored = a.view.messages.map(fromServer);
      // Turns typed while the history was loading stay, after the stored ones.
      const local = s.messages.filter((m) => !stored.some((x) => x.key === m.key));
      const feedback: Record<string, Feedback> = {};
      for (const f of a.view.feedback) feedback[f.messageId] = { rating: f.rating, reasons: f.reasons, comment: f.comment };
      return { messages: [...stored, ...local], feedback: { ...feedback, ...s.feedback } };
    }
    case 'send': {
      const m: ChatMessage = {
        key: a.clientMessageId,
        id: null,
        role: 'user',
        content: a.text,
        clientMessageId: a.clientMessageId,
        replyTo: null,
        status: 'sending',
        comparison: null,
      };
      return { ...s, messages: [...s.messages, m] };
    }
    case 'failed':
      return update(s, (m) => m.key === a.clientMessageId, () => ({ status: 'failed' }));
    case 'retry': {
      // The failed reply makes way for the new attempt (the server replays or rewrites it).
      const kept = { ...s, messages: s.messages.filter((m) => !(m.replyTo === a.clientMessageId && m.status === 'error')) };
      return update(kept, (m) => m.key === a.clientMessageId, () => ({ status: 'sending' }));
    }
    case 'broken':
      return s.messages.some((m) => m.key === a.clientMessageId && m.status === 'sending')
        ? update(s, (m) => m.key === a.clientMessageId, () => ({ status: 'failed' }))
        : update(s, (m) => m.status === 'streaming', () => ({ status: 'error' }));
    case 'stream':
      return onEvent(s, a.clientMessageId, a.event);
    case 'feedback':
      return { ...s, feedback: { ...s.feedback, [a.messageId]: a.feedback } };
    case 'choice':
      return update(s, (m) => m.id === a.messageId && !!m.comparison, (m) => ({ comparison: { ...m.comparison!, choice: a.choice } }));
  }
}

function onEvent(s: ChatState, clientMessageId: string, e: StreamEvent): ChatState {
  switch (e.event) {
    case 'message': {
      const sent = update(s, (m) => m.key === clientMessageId, () => ({ id: e.data.message.id, status: 'sent' }));
      if (sent.messages.some((m) => m.id === e.data.replyId)) return sent;
      const reply: ChatMessage = {
        key: e.data.replyId,
        id: e.data.replyId,
        role: 'assistant',
        content: '',
        clientMessageId: null,
        replyTo: clientMessageId,
        status: 'streaming',
        comparison: null,
      };
      return { ...sent, messages: [...sent.messages, reply] };
    }
    case 'token':
      return update(s, (m) => m.id === e.data.messageId, (m) => ({ content: m.content + e.data.text }));
    case 'compare':
      return update(s, (m) => m.id === e.data.messageId, () => ({ comparison: e.data.comparison }));
    case 'done': {
      const done = fromServer(e.data.message);
      if (!s.messages.some((m) => m.id === done.id)) return { ...s, messages: [...s.messages, done] };
      // The stored reply is authoritative; keep the render key so the bubble is not re-created,
      // and a vote the visitor cast while the stream was finishing.
      return update(s, (m) => m.id === done.id, (m) => ({
        ...done,
        key: m.key,
        replyTo: m.replyTo,
        comparison: done.comparison
          ? { ...done.comparison, choice: m.comparison?.choice ?? done.comparison.choice }
          : m.comparison,
      }));
    }
    case 'error':
      return chatReducer(s, { type: 'broken', clientMessageId });
  }
}
