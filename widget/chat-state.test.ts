import { describe, expect, test } from 'vitest';
import type { ConversationView } from '../protocol/widget.js';
import { chatReducer, emptyChat, type ChatAction, type ChatState } from './chat-state.js';
import { ids, message } from './test-support/fake-server.js';

const run = (actions: ChatAction[], from: ChatState = emptyChat) => actions.reduce(chatReducer, from);
const visitor = message({ id: ids.userMessage, role: 'user', content: 'Hi', clientMessageId: 'c-1' });
const started: ChatAction[] = [
  { type: 'send', clientMessageId: 'c-1', text: 'Hi' },
  { type: 'stream', clientMessageId: 'c-1', event: { event: 'message', data: { message: visitor, replyId: ids.reply } } },
];

describe('chatReducer', () => {
  test('a sent turn: stored visitor message, then a reply built from tokens, finalized by done', () => {
    let s = run(started);
    expect(s.messages.map((m) => [m.role, m.status, m.id])).toEqual([
      ['user', 'sent', ids.userMessage],
      ['assistant', 'streaming', ids.reply],
    ]);
    s = run(
      [
        { type: 'stream', clientMessageId: 'c-1', event: { event: 'token', data: { messageId: ids.reply, text: 'Hel' } } },
        { type: 'stream', clientMessageId: 'c-1', event: { event: 'token', data: { messageId: ids.reply, text: 'lo' } } },
      ],
      s,
    );
    expect(s.messages[1].content).toBe('Hello');
    s = chatReducer(s, { type: 'stream', clientMessageId: 'c-1', event: { event: 'done', data: { message: message({ content: 'Hello!' }) } } });
    expect(s.messages[1]).toMatchObject({ key: ids.reply, content: 'Hello!', status: 'sent' });
  });

  test('failure before the stream marks the turn for retry; retry sends it again', () => {
    let s = run([{ type: 'send', clientMessageId: 'c-1', text: 'Hi' }, { type: 'failed', clientMessageId: 'c-1' }]);
    expect(s.messages[0].status).toBe('failed');
    s = chatReducer(s, { type: 'retry', clientMessageId: 'c-1' });
    expect(s.messages[0].status).toBe('sending');
  });

  test('an error event or a dropped stream after the reply started marks the reply, not the question', () => {
    for (const last of [
      { type: 'stream', clientMessageId: 'c-1', event: { event: 'error', data: { code: 'internal_error', message: 'x' } } },
      { type: 'broken', clientMessageId: 'c-1' },
    ] as ChatAction[]) {
      const s = run([...started, last]);
      expect(s.messages.map((m) => m.status)).toEqual(['sent', 'error']);
    }
  });

  test('retrying a question whose reply failed removes the failed reply', () => {
    const failed = run([...started, { type: 'broken', clientMessageId: 'c-1' }]);
    expect(failed.messages[1].replyTo).toBe('c-1');
    const s = chatReducer(failed, { type: 'retry', clientMessageId: 'c-1' });
    expect(s.messages.map((m) => [m.role, m.status])).toEqual([['user', 'sending']]);
  });

  test('a compare event turns the reply into a comparison; a vote survives the final done', () => {
    const comparison = { id: ids.comparison, a: 'A text', b: 'B text', choice: null };
    const s = run([
      ...started,
      { type: 'stream', clientMessageId: 'c-1', event: { event: 'compare', data: { messageId: ids.reply, comparison } } },
      { type: 'choice', messageId: ids.reply, choice: 'b' },
      { type: 'stream', clientMessageId: 'c-1', event: { event: 'done', data: { message: message({ content: 'A text', comparison }) } } },
    ]);
    expect(s.messages[1].comparison).toEqual({ ...comparison, choice: 'b' });
  });

  test('history renders stored messages and feedback, keeping turns typed meanwhile', () => {
    const view: ConversationView = {
      conversation: { id: ids.conversation, status: 'open', createdAt: '2025-01-01T00:00:00.000Z' },
      messages: [visitor, message({ content: 'Hello' })],
      feedback: [{ messageId: ids.reply, rating: 'up', reasons: [], comment: null }],
    };
    const s = run([{ type: 'send', clientMessageId: 'c-2', text: 'Later' }, { type: 'history', view }]);
    expect(s.messages.map((m) => m.content)).toEqual(['Hi', 'Hello', 'Later']);
    expect(s.feedback[ids.reply].rating).toBe('up');
  });
});
