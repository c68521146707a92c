import type { SiteInfo } from '../protocol/widget.js';
import { ApiError, type Api } from './api.js';
import { backoffDelay } from './backoff.js';
import { loadVisitor, saveVisitor, type KeyValue } from './storage.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type SessionDeps = {
  api: Api;
  store: KeyValue;
  siteKey: string;
  /** The page's origin, named in the warning when the site does not allow it. */
  origin: string;
  log?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
};

/**
 * Opens the visitor session (resuming the stored visitor id) and returns the site's settings, or
 * null when the widget must stay invisible: origin not allowed, unknown site key, or a server that
 * did not answer after a few tries. A visitor should never see a broken widget on someone's site,
 * so each case is a console warning for the site owner instead.
 */
export async function openSession(d: SessionDeps): Promise<SiteInfo | null> {
  const { api, store, siteKey, log = console.warn } = d;
  const sleep = d.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const stored = loadVisitor(store, siteKey).visitorId;
  // A corrupted stored id would only earn a validation error: start as a new visitor instead.
  const visitorId = stored && uuid.test(stored) ? stored : undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      const s = await api.createSession({ siteKey, visitorId });
      saveVisitor(store, siteKey, { visitorId: s.visitorId });
      api.onUnauthorized(async () => (await api.createSession({ siteKey, visitorId: s.visitorId })).visitorToken);
      return s.site;
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      const why = e instanceof ApiError ? `${e.code}: ${e.message}` : String(e);
      if (status === 403) {
        log(
          `Rapport: this page's origin ${d.origin} is not allowed for site key ${siteKey} (${why}). ` +
            `Add it to the site's allowed origins in the Rapport console; the widget stays hidden until then.`,
        );
        return null;
      }
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        log(`Rapport: the server refused site key ${siteKey} (${why}). Check data-site-key on the script tag.`);
        return null;
      }
      if (attempt >= 2) {
        log(`Rapport: could not reach the Rapport server after 3 tries (${why}); the widget stays hidden.`);
        return null;
      }
      await sleep(backoffDelay(attempt, Math.random));
    }
  }
}
