// @vitest-environment happy-dom
import { fireEvent, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { locales } from './locale.js';
import { visitorKey } from './storage.js';
import { apiError, defaultSite, fakeServer, ids, json, message } from './test-support/fake-server.js';
import { nextReply, startTestWidget, unmountAll } from './test-support/open-widget.js';

beforeEach(() => localStorage.clear());
afterEach(unmountAll);

describe('widget chat', () => {
  test('renders inside a shadow root with the site accent and the launcher only', async () => {
    const w = await startTestWidget();
    expect(document.body.querySelector('.launcher')).toBeNull(); // nothing leaks into the page
    expect(w.shadow.querySelector<HTMLElement>('.r')!.style.getPropertyValue('--rapport-accent')).toBe('#ff0066');
    expect(w.q.queryByRole('dialog')).toBeNull();
    expect((w.shadow as unknown as { adoptedStyleSheets: CSSStyleSheet[] }).adoptedStyleSheets).toHaveLength(1);
  });

  test('opens a labelled dialog with focus in it; Escape closes it and focus returns to the launcher', async () => {
    const w = await startTestWidget();
    const dialog = w.openPanel();
    expect(dialog.getAttribute('aria-label')).toBe('Chat with Acme');
    expect(w.shadow.activeElement).toBe(w.q.getByRole('textbox', { name: w.t.placeholder }));
    expect(w.q.getByText(defaultSite.greeting)).toBeTruthy();
    expect(w.shadow.querySelector('.log')!.getAttribute('aria-live')).toBe('polite');
    fireEvent.keyDown(w.shadow.activeElement!, { key: 'Escape' });
    expect(w.q.queryByRole('dialog')).toBeNull();
    expect(w.shadow.activeElement).toBe(w.q.getByRole('button', { name: w.t.open }));
  });

  test('sends a message and renders the reply token by token', async () => {
    const w = await startTestWidget();
    w.openPanel();
    const reply = nextReply(w.server);
    w.type('How do I reset my password?');
    await waitFor(() => expect(w.server.sent('/messages')).toHaveLength(1));
    const req = w.server.sent('/messages')[0];
    expect(req.path).toBe(`/v1/widget/conversations/${ids.conversation}/messages`);
    expect(req.headers).toMatchObject({ accept: 'text/event-stream', authorization: 'Bearer tok-1' });
    expect(req.body).toEqual({ clientMessageId: expect.any(String), text: 'How do I reset my password?' });
    expect(JSON.parse(localStorage.getItem(visitorKey('pk_test'))!).conversationId).toBe(ids.conversation);

    reply.accept(req.body.clientMessageId, req.body.text);
    await waitFor(() => w.q.getByText(w.t.thinking));
    reply.send('token', { messageId: ids.reply, text: 'Open **Settings' });
    await waitFor(() => w.q.getByText('Open **Settings'));
    reply.send('token', { messageId: ids.reply, text: '** then click Reset.' });
    await waitFor(() => expect(w.shadow.querySelector('.assistant strong')?.textContent).toBe('Settings'));
    expect(w.q.queryByRole('button', { name: w.t.helpful })).toBeNull(); // no thumbs mid-stream
    reply.send('done', { message: message({ content: 'Open **Settings** then click Reset.' }) });
    reply.close();
    await waitFor(() => w.q.getByRole('button', { name: w.t.helpful }));
  });

  test('a message that could not be sent keeps a retry that reuses its clientMessageId', async () => {
    const w = await startTestWidget();
    w.openPanel();
    w.server.on('POST', /\/messages$/, () => apiError(503, 'internal_error', 'restarting'));
    w.type('Hello?');
    const retry = await waitFor(() => w.q.getByRole('button', { name: w.t.retry }));
    expect(w.q.getByText(w.t.notSent)).toBeTruthy();
    const reply = nextReply(w.server);
    fireEvent.click(retry);
    await waitFor(() => expect(w.server.sent('/messages')).toHaveLength(2));
    const [first, second] = w.server.sent('/messages');
    expect(second.body).toEqual(first.body);
    reply.accept(second.body.clientMessageId, 'Hello?');
    await waitFor(() => expect(w.q.queryByRole('button', { name: w.t.retry })).toBeNull());
  });

  test('a reply that fails mid-stream offers a retry of the same question', async () => {
    const w = await startTestWidget();
    w.openPanel();
    const broken = nextReply(w.server);
    w.type('Why?');
    await waitFor(() => expect(w.server.sent('/messages')).toHaveLength(1));
    const first = w.server.sent('/messages')[0];
    broken.accept(first.body.clientMessageId, 'Why?');
    broken.send('token', { messageId: ids.reply, text: 'Becau' });
    broken.send('error', { code: 'generation_failed', message: 'the assistant could not answer' });
    broken.close();
    await waitFor(() => w.q.getByText(w.t.replyFailed));

    const replay = nextReply(w.server);
    fireEvent.click(w.q.getByRole('button', { name: w.t.retry }));
    await waitFor(() => expect(w.server.sent('/messages')).toHaveLength(2));
    expect(w.server.sent('/messages')[1].body).toEqual(first.body);
    expect(w.q.queryByText(w.t.replyFailed)).toBeNull();
    replay.accept(first.body.clientMessageId, 'Why?');
    replay.send('token', { messageId: ids.reply, text: 'Because.' });
    replay.send('done', { message: message({ content: 'Because.' }) });
    replay.close();
    await waitFor(() => w.q.getByRole('button', { name: w.t.helpful }));
    expect(w.shadow.querySelectorAll('.msg.assistant')).toHaveLength(2); // greeting + one reply
  });

  test('after a reload it resumes: history, thumbs and comparison state from GET', async () => {
    localStorage.setItem(visitorKey('pk_test'), JSON.stringify({ visitorId: ids.visitor, conversationId: ids.conversation }));
    const server = fakeServer();
    const compared = '66666666-6666-4666-8666-666666666666';
    server.on('GET', /conversations\//, () =>
      json(200, {
        conversation: { id: ids.conversation, status: 'open', createdAt: '2025-01-01T00:00:00.000Z' },
        messages: [
          message({ id: ids.userMessage, role: 'user', content: 'Earlier question', clientMessageId: 'c-old' }),
          message({ content: 'Earlier *answer*' }),
          message({ id: compared, content: 'B side', comparison: { id: ids.comparison, a: 'A side', b: 'B side', choice: 'b' } }),
        ],
        feedback: [{ messageId: ids.reply, rating: 'up', reasons: [], comment: null }],
      }),
    );
    const w = await startTestWidget(server);
    expect(server.sent(`/conversations/${ids.conversation}`)).toHaveLength(0); // not before it is opened
    w.openPanel();
    await waitFor(() => w.q.getByText('Earlier question'));
    expect(w.shadow.querySelector('.assistant em')?.textContent).toBe('answer');
    expect(w.q.getByRole('button', { name: w.t.helpful }).getAttribute('aria-pressed')).toBe('true');
    expect(w.q.getByRole('region', { name: `${w.t.answer} B` }).className).toBe('won');
    expect(w.q.getByText(w.t.voted)).toBeTruthy();
    expect(server.sent('/sessions')[0].body.visitorId).toBe(ids.visitor);
  });

  test('a conversation gone from the server (404) is forgotten and the next message starts a new one', async () => {
    localStorage.setItem(visitorKey('pk_test'), JSON.stringify({ visitorId: ids.visitor, conversationId: 'gone' }));
    const server = fakeServer();
    server.on('GET', /conversations\//, () => apiError(404, 'not_found', 'no such conversation'));
    const w = await startTestWidget(server);
    w.openPanel();
    await waitFor(() => expect(JSON.parse(localStorage.getItem(visitorKey('pk_test'))!).conversationId).toBeUndefined());
    nextReply(server);
    w.type('New start');
    await waitFor(() => expect(server.sent('/messages')).toHaveLength(1));
    expect(server.sent('/v1/widget/conversations')).toHaveLength(1);
    expect(server.sent('/messages')[0].path).toContain(ids.conversation);
  });

  test('strings come from the locale table of the site', async () => {
    const site = { ...defaultSite, locale: 'fr-FR' };
    const w = await startTestWidget(fakeServer(site), site);
    const fr = locales.fr;
    w.openPanel();
    expect(w.q.getByRole('dialog').getAttribute('aria-label')).toBe(fr.dialog.replace('{name}', 'Acme'));
    expect(w.q.getByRole('button', { name: fr.close, expanded: true })).toBeTruthy();
    expect(w.q.getByRole('button', { name: fr.human })).toBeTruthy();
    expect(w.q.getByRole('textbox', { name: fr.placeholder })).toBeTruthy();
  });
});
