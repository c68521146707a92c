import { fireEvent, waitFor, within } from '@testing-library/preact';
import { expect } from 'vitest';
import type { SiteInfo } from '../../protocol/widget.js';
import { pickStrings } from '../locale.js';
import type { WidgetHandle } from '../mount.js';
import { startWidget } from '../start.js';
import { defaultSite, eventStream, fakeServer, ids, message } from './fake-server.js';

const mounted: WidgetHandle[] = [];

/** Unmounts every widget started by `startTestWidget`; call from afterEach. */
export function unmountAll(): void {
  while (mounted.length) mounted.pop()!.unmount();
}

/**
 * Starts the widget the way the bundle does (session first) against a fake network, and returns
 * Testing Library queries scoped to its shadow root.
 */
export async function startTestWidget(server = fakeServer(), site: SiteInfo = defaultSite) {
  const widget = await startWidget({ siteKey: 'pk_test', api: 'https://api.test' }, { win: window, fetch: server.fetch });
  if (!widget) throw new Error('widget did not start');
  mounted.push(widget);
  const shadow = widget.host.shadowRoot!;
  // Preact's container (an element, which Testing Library can also print when a query fails).
  const q = within(shadow.lastElementChild as HTMLElement);
  const t = pickStrings(site.locale);
  return {
    server,
    widget,
    shadow,
    q,
    t,
    openPanel() {
      fireEvent.click(q.getByRole('button', { name: t.open }));
      return q.getByRole('dialog');
    },
    type(text: string) {
      const box = q.getByRole('textbox', { name: t.placeholder });
      fireEvent.input(box, { target: { value: text } });
      fireEvent.keyDown(box, { key: 'Enter' });
    },
  };
}

/** Routes the next message POST to a stream the test writes into. */
export function nextReply(server: ReturnType<typeof fakeServer>) {
  const stream = eventStream();
  server.on('POST', /\/messages$/, () => stream.response());
  return {
    ...stream,
    /** The server's first event: the stored visitor turn and the id of the reply being written. */
    accept(clientMessageId: string, text: string) {
      stream.send('message', {
        message: message({ id: ids.userMessage, role: 'user', content: text, clientMessageId }),
        replyId: ids.reply,
      });
    },
  };
}

/** Sends a question and plays a complete plain reply; resolves once its thumbs are shown. */
export async function askAndAnswer(w: Awaited<ReturnType<typeof startTestWidget>>, answer: string) {
  const reply = nextReply(w.server);
  w.type('Question?');
  await waitFor(() => expect(w.server.sent('/messages')).toHaveLength(1));
  reply.accept(w.server.sent('/messages')[0].body.clientMessageId, 'Question?');
  reply.send('token', { messageId: ids.reply, text: answer });
  reply.send('done', { message: message({ content: answer }) });
  reply.close();
  await waitFor(() => w.q.getByRole('button', { name: w.t.notHelpful }));
}
