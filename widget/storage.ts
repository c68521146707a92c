/** The part of `Storage` the widget uses; tests and the memory fallback implement it. */
export type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * `localStorage`, or an in-memory map when it is missing or throws (Safari private mode,
 * sandboxed iframes, storage disabled by the visitor): the widget still works for the page view.
 */
export function safeStorage(win: { localStorage?: Storage } = globalThis as never): KeyValue {
  try {
    const ls = win.localStorage;
    if (ls) {
      const probe = '__rapport_probe__';
      ls.setItem(probe, '1');
      ls.removeItem(probe);
      return ls;
    }
  } catch {
    // fall through to memory
  }
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
  };
}

export function readJson<T>(store: KeyValue, key: string): T | null {
  try {
    const raw = store.getItem(key);
    return raw == null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

export function writeJson(store: KeyValue, key: string, value: unknown): void {
  try {
    store.setItem(key, JSON.stringify(value));
  } catch {
    // Quota exceeded: losing persistence is better than breaking the chat.
  }
}

/** What a reload needs to resume: who the visitor is and which conversation was open. */
export type VisitorRecord = {
  visitorId?: string;
  conversationId?: string;
  /** Sent with the conversation creation so a retried creation returns the same conversation. */
  clientConversationId?: string;
};

export function visitorKey(siteKey: string): string {
  return `rapport:${siteKey}:visitor`;
}

export function outboxKey(siteKey: string): string {
  return `rapport:${siteKey}:outbox`;
}

export function loadVisitor(store: KeyValue, siteKey: string): VisitorRecord {
  return readJson<VisitorRecord>(store, visitorKey(siteKey)) ?? {};
}

export function saveVisitor(store: KeyValue, siteKey: string, patch: VisitorRecord): VisitorRecord {
  const next = { ...loadVisitor(store, siteKey), ...patch };
  writeJson(store, visitorKey(siteKey), next);
  return next;
}
