import { backoffDelay, defaultBackoff, type BackoffOptions } from './backoff.js';
import { readJson, writeJson, type KeyValue } from './storage.js';

/** One pending write. `id` is the write's clientEventId, which makes the server idempotent. */
export type OutboxItem = { id: string; path: string; body: unknown; createdAt: number };

/** Delivers one item: resolves with the HTTP status, throws on a network failure. */
export type Send = (item: OutboxItem) => Promise<number>;

export type OutboxOptions = {
  store: KeyValue;
  /** Storage key; one outbox per site key. */
  key: string;
  send: Send;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  backoff?: BackoffOptions;
  /** Items older than this are given up on, so a dead event cannot block the queue forever. */
  maxAgeMs?: number;
  log?: (message: string) => void;
};

export type Verdict = 'sent' | 'retry' | 'drop';

/** Network trouble and overload are worth retrying; any other 4xx will never succeed. */
export function verdict(status: number): Verdict {
  if (status >= 200 && status < 300) return 'sent';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'drop';
}

const week = 7 * 24 * 3600 * 1000;

/**
 * Feedback, choices and flags go through here so none is lost (offline, server restart, page
 * closed mid-request) or doubled. Items are sent strictly in order: a later "clear rating" must not
 * overtake the rating it clears. Storage is re-read on every step so a second tab's sends are seen;
 * two tabs may still both send one item, which the server's unique clientEventId absorbs.
 */
export function createOutbox(opts: OutboxOptions) {
  const { store, key, send, log = console.warn, maxAgeMs = week } = opts;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = opts.now ?? Date.now;
  let running: Promise<void> | null = null;
  let again = false;

  const pending = (): OutboxItem[] => {
    const items = readJson<OutboxItem[]>(store, key);
    return Array.isArray(items) ? items : [];
  };
  const remove = (id: string) => writeJson(store, key, pending().filter((i) => i.id !== id));

  async function drain(): Promise<void> {
    let attempt = 0;
    for (;;) {
      const head = pending()[0];
      if (!head) return;
      if (now() - head.createdAt > maxAgeMs) {
        log(`Rapport: gave up on ${head.path} after ${Math.round(maxAgeMs / 3600e3)} h of failed retries`);
        remove(head.id);
        continue;
      }
      let status = 0;
      let result: Verdict;
      try {
        status = await send(head);
        result = verdict(status);
      } catch {
        result = 'retry';
      }
      if (result === 'retry') {
        await sleep(backoffDelay(attempt++, opts.random ?? Math.random, opts.backoff ?? defaultBackoff));
        continue;
      }
      if (result === 'drop') log(`Rapport: the server refused ${head.path} (HTTP ${status}); dropped it`);
      remove(head.id);
      attempt = 0;
    }
  }

  async function loop(): Promise<void> {
    try {
      // `again` is re-checked and `running` cleared in the same synchronous step, so an
      // enqueue that lands while the last drain finishes is never left behind.
      while (again) {
        again = false;
        await drain();
      }
    } finally {
      running = null;
    }
  }

  /** Resolves when the queue is empty. Concurrent calls share one delivery loop. */
  function flush(): Promise<void> {
    again = true;
    return (running ??= loop());
  }

  return {
    pending,
    flush,
    /** Persists the write first, then starts delivery; a repeated id is ignored. */
    enqueue(id: string, path: string, body: unknown): void {
      const items = pending();
      if (!items.some((i) => i.id === id)) {
        items.push({ id, path, body, createdAt: now() });
        writeJson(store, key, items);
      }
      void flush();
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
