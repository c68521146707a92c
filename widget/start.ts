import { createApi } from './api.js';
import { mountWidget, type WidgetHandle } from './mount.js';
import { createOutbox } from './outbox.js';
import { openSession } from './session.js';
import { outboxKey, safeStorage } from './storage.js';

export type WidgetConfig = {
  siteKey: string;
  /** API base URL, e.g. "https://chat.example.com". */
  api: string;
  /** CSP nonce for the fallback <style> element. */
  nonce?: string;
};

export type StartEnv = { win: Window; fetch?: typeof fetch };

/** Session first (nothing is shown unless the site allows this origin), then the launcher. */
export async function startWidget(config: WidgetConfig, { win, fetch: fetchFn }: StartEnv): Promise<WidgetHandle | null> {
  const store = safeStorage(win);
  const api = createApi(config.api.replace(/\/+$/, ''), fetchFn);
  const site = await openSession({ api, store, siteKey: config.siteKey, origin: win.location.origin });
  if (!site) return null;
  const outbox = createOutbox({ store, key: outboxKey(config.siteKey), send: (item) => api.post(item.path, item.body) });
  // Writes left unsent by an earlier page view go out now that there is a token.
  void outbox.flush();
  const doc = win.document;
  if (!doc.body) await new Promise((r) => doc.addEventListener('DOMContentLoaded', r, { once: true }));
  return mountWidget({ doc, site, nonce: config.nonce, api, outbox, store, siteKey: config.siteKey });
}
