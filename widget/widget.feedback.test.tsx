// @vitest-environment happy-dom
import { fireEvent, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ids, message } from './test-support/fake-server.js';
import { askAndAnswer, nextReply, startTestWidget, unmountAll } from './test-support/open-widget.js';

beforeEach(() => localStorage.clear());
afterEach(unmountAll);

const feedbackPath = `/v1/widget/messages/${ids.reply}/feedback`;

describe('widget feedback', () => {
  test('thumbs-down records the rating, then the reasons and comment the visitor picks', async () => {
    const w = await startTestWidget();
    w.openPanel();
    await askAndAnswer(w, 'Use the blue button.');
    const down = w.q.getByRole('button', { name: w.t.notHelpful });
    fireEvent.click(down);
    expect(down.getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(w.server.sent('/feedback')).toHaveLength(1));
    expect(w.server.sent('/feedback')[0]).toMatchObject({
      path: feedbackPath,
      headers: { authorization: 'Bearer tok-1' },
      body: { clientEventId: expect.any(String), rating: 'down' },
    });

    const chip = w.q.getByRole('button', { name: w.t.reasons.wrong });
    fireEvent.click(chip);
    expect(chip.getAttribute('aria-pressed')).toBe('true');
    fireEvent.input(w.q.getByRole('textbox', { name: w.t.comment }), { target: { value: 'There is no blue button' } });
    fireEvent.click(w.q.getByRole('button', { name: w.t.submitFeedback }));
    await waitFor(() => expect(w.server.sent('/feedback')).toHaveLength(2));
    const [first, second] = w.server.sent('/feedback');
    expect(second.body).toEqual({
      clientEventId: expect.any(String),
      rating: 'down',
      reasons: ['wrong'],
      comment: 'There is no blue button',
    });
    expect(second.body.clientEventId).not.toBe(first.body.clientEventId);
    expect(w.q.getByText(w.t.thanks)).toBeTruthy();
  });

  test('clicking the pressed thumb again clears the rating', async () => {
    const w = await startTestWidget();
    w.openPanel();
    await askAndAnswer(w, 'Yes.');
    const up = w.q.getByRole('button', { name: w.t.helpful });
    fireEvent.click(up);
    fireEvent.click(up);
    expect(up.getAttribute('aria-pressed')).toBe('false');
    await waitFor(() => expect(w.server.sent('/feedback')).toHaveLength(2));
    expect(w.server.sent('/feedback').map((r) => r.body.rating)).toEqual(['up', null]);
  });

  test('a comparison shows both answers side by side and sends the choice', async () => {
    const w = await startTestWidget();
    w.openPanel();
    const reply = nextReply(w.server);
    w.type('Which plan?');
    await waitFor(() => expect(w.server.sent('/messages')).toHaveLength(1));
    reply.accept(w.server.sent('/messages')[0].body.clientMessageId, 'Which plan?');
    const comparison = { id: ids.comparison, a: 'Take **Pro**.', b: 'Take Basic.', choice: null };
    reply.send('compare', { messageId: ids.reply, comparison });
    reply.send('done', { message: message({ content: 'Take **Pro**.', comparison }) });
    reply.close();

    const a = await waitFor(() => w.q.getByRole('region', { name: `${w.t.answer} A` }));
    expect(a.querySelector('strong')?.textContent).toBe('Pro');
    expect(w.q.getByRole('region', { name: `${w.t.answer} B` }).textContent).toContain('Take Basic.');
    for (const c of ['a', 'b', 'tie', 'both_bad'] as const) expect(w.q.getByRole('button', { name: w.t.choices[c] })).toBeTruthy();
    expect(w.q.queryByRole('button', { name: w.t.helpful })).toBeNull();

    fireEvent.click(w.q.getByRole('button', { name: w.t.choices.both_bad }));
    await waitFor(() => expect(w.server.sent('/choice')).toHaveLength(1));
    expect(w.server.sent('/choice')[0]).toMatchObject({
      path: `/v1/widget/comparisons/${ids.comparison}/choice`,
      body: { clientEventId: expect.any(String), choice: 'both_bad' },
    });
    expect(w.q.getByText(w.t.voted)).toBeTruthy();
    expect(w.q.queryByRole('button', { name: w.t.choices.a })).toBeNull();
  });

  test('"talk to a human" flags the conversation and confirms it', async () => {
    const w = await startTestWidget();
    w.openPanel();
    fireEvent.click(w.q.getByRole('button', { name: w.t.human }));
    await waitFor(() => expect(w.server.sent('/flag')).toHaveLength(1));
    // No message yet: the conversation is created so the request has something to attach to.
    expect(w.server.sent('/flag')[0]).toMatchObject({
      path: `/v1/widget/conversations/${ids.conversation}/flag`,
      body: { clientEventId: expect.any(String), reason: 'wants_human' },
    });
    expect(w.q.getByRole('status').textContent).toBe(w.t.humanRequested);
  });

  test('reporting the conversation sends the chosen reason and comment', async () => {
    const w = await startTestWidget();
    w.openPanel();
    await askAndAnswer(w, 'Something rude.');
    fireEvent.click(w.q.getByRole('button', { name: w.t.report }));
    fireEvent.click(w.q.getByRole('radio', { name: w.t.flagReasons.harmful }));
    const comments = w.q.getAllByRole('textbox', { name: w.t.comment });
    fireEvent.input(comments[comments.length - 1], { target: { value: 'Offensive reply' } });
    fireEvent.click(w.q.getByRole('button', { name: w.t.submitReport }));
    await waitFor(() => expect(w.server.sent('/flag')).toHaveLength(1));
    expect(w.server.sent('/flag')[0].body).toEqual({
      clientEventId: expect.any(String),
      reason: 'harmful',
      comment: 'Offensive reply',
    });
    await waitFor(() => expect(w.q.getByText(w.t.reported)).toBeTruthy());
  });
});
