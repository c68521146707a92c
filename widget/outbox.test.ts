// @vitest-environment happy-dom
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { backoffDelay } from './backoff.js';
import { createOutbox, verdict, type OutboxItem, type Send } from './outbox.js';

const key = 'rapport:pk_test:outbox';

/** A transport scripted per call: a status, or 'offline' for a network error. */
function transport(script: (number | 'offline')[]) {
  const calls: OutboxItem[] = [];
  const send: Send = async (item) => {
    calls.push(item);
    const next = script.length ? script.shift()! : 200;
    if (next === 'offline') throw new TypeError('Failed to fetch');
    return next;
  };
  return { calls, send };
}

function outbox(send: Send, extra: Partial<Parameters<typeof createOutbox>[0]> = {}) {
  const sleeps: number[] = [];
  const log = vi.fn();
  const box = createOutbox({
    store: localStorage,
    key,
    send,
    random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms),
    log,
    ...extra,
  });
  return { box, sleeps, log };
}

const stored = () => JSON.parse(localStorage.getItem(key) ?? '[]') as OutboxItem[];

beforeEach(() => localStorage.clear());

describe('outbox', () => {
  test('persists a write to localStorage before it is delivered', () => {
    const never: Send = () => new Promise(() => {});
    const { box } = outbox(never);
    box.enqueue('evt-1', '/v1/widget/messages/m1/feedback', { clientEventId: 'evt-1', rating: 'up' });
    expect(stored()).toMatchObject([{ id: 'evt-1', path: '/v1/widget/messages/m1/feedback', body: { rating: 'up' } }]);
  });

  test('sends in order and empties the queue', async () => {
    const t = transport([]);
    const { box } = outbox(t.send);
    box.enqueue('a', '/x', 1);
    box.enqueue('b', '/y', 2);
    box.enqueue('c', '/z', 3);
    await box.flush();
    expect(t.calls.map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(stored()).toEqual([]);
  });

  test('retries 5xx, 429 and network errors with growing backoff, keeping later items behind', async () => {
    const t = transport([503, 'offline', 429, 200, 200]);
    const { box, sleeps } = outbox(t.send);
    box.enqueue('a', '/x', 1);
    box.enqueue('b', '/y', 2);
    await box.flush();
    expect(t.calls.map((c) => c.id)).toEqual(['a', 'a', 'a', 'a', 'b']);
    expect(sleeps).toEqual([0, 1, 2].map((n) => backoffDelay(n, () => 0.5)));
    expect(sleeps[0]).toBeLessThan(sleeps[1]);
    expect(stored()).toEqual([]);
  });

  test('drops an item the server rejects with 4xx, logs it, and goes on', async () => {
    const t = transport([422, 200]);
    const { box, log } = outbox(t.send);
    box.enqueue('bad', '/x', 1);
    box.enqueue('good', '/y', 2);
    await box.flush();
    expect(t.calls.map((c) => c.id)).toEqual(['bad', 'good']);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('HTTP 422'));
    expect(stored()).toEqual([]);
  });

  test('survives a reload: a new outbox sends what the old one could not', async () => {
    const offline = transport(['offline']);
    let stopRetrying!: () => void;
    const first = outbox(offline.send, { sleep: () => new Promise<void>((r) => (stopRetrying = r)) });
    first.box.enqueue('kept', '/x', { clientEventId: 'kept' });
    await vi.waitFor(() => expect(offline.calls).toHaveLength(1));
    // The page goes away while backing off.
    expect(stored().map((i) => i.id)).toEqual(['kept']);

    const online = transport([]);
    const second = outbox(online.send);
    await second.box.flush();
    expect(online.calls.map((c) => c.body)).toEqual([{ clientEventId: 'kept' }]);
    expect(stored()).toEqual([]);
    stopRetrying();
  });

  test('never sends one event twice: repeated ids and concurrent flushes', async () => {
    const held = outbox(() => new Promise(() => {}));
    held.box.enqueue('a', '/x', 1);
    held.box.enqueue('a', '/x', 1);
    expect(stored().map((i) => i.id)).toEqual(['a']);
    localStorage.clear();

    const t = transport([]);
    const { box } = outbox(t.send);
    box.enqueue('a', '/x', 1);
    box.enqueue('a', '/x', 1);
    box.enqueue('b', '/y', 2);
    await Promise.all([box.flush(), box.flush(), box.flush()]);
    expect(t.calls.map((c) => c.id)).toEqual(['a', 'b']);
  });

  test('an item enqueued while the queue drains is still delivered', async () => {
    const t = transport([]);
    const { box } = outbox(t.send);
    box.enqueue('a', '/x', 1);
    const done = box.flush();
    box.enqueue('b', '/y', 2);
    await done;
    await box.flush();
    expect(t.calls.map((c) => c.id)).toEqual(['a', 'b']);
  });

  test('gives up on an item older than maxAge instead of blocking the queue forever', async () => {
    let now = 1_000;
    const t = transport([500, 200]);
    const { box, log } = outbox(t.send, {
      now: () => now,
      maxAgeMs: 10_000,
      sleep: async () => void (now += 60_000),
    });
    box.enqueue('old', '/x', 1);
    await box.flush();
    expect(t.calls.map((c) => c.id)).toEqual(['old']);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('gave up'));
    expect(stored()).toEqual([]);
  });
});

test('verdict: 2xx sent, 408/429/5xx retried, other 4xx dropped', () => {
  expect([200, 201, 204].map(verdict)).toEqual(['sent', 'sent', 'sent']);
  expect([408, 429, 500, 503].map(verdict)).toEqual(['retry', 'retry', 'retry', 'retry']);
  expect([400, 401, 403, 404, 409, 422].map(verdict)).toEqual(['drop', 'drop', 'drop', 'drop', 'drop', 'drop']);
});

test('backoff grows exponentially with jitter and is capped', () => {
  const opts = { baseMs: 1000, capMs: 8000 };
  expect(backoffDelay(0, () => 0, opts)).toBe(500);
  expect(backoffDelay(0, () => 1, opts)).toBe(1000);
  expect(backoffDelay(2, () => 0, opts)).toBe(2000);
  expect(backoffDelay(10, () => 1, opts)).toBe(8000);
});
