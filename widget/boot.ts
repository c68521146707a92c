import type { WidgetHandle } from './mount.js';
import type { WidgetConfig } from './start.js';

export type InitOptions = Partial<WidgetConfig>;

/** `window.Rapport`: the loader stub (with its queue `q`) until the bundle replaces it. */
export type RapportFn = ((command: string, options?: InitOptions) => void) & {
  q?: ArrayLike<unknown>[];
  /** Set on the real function so a second copy of the bundle knows to stand down. */
  loaded?: true;
};

export type BootWindow = Window & { Rapport?: RapportFn };

/**
 * The widget's own <script>: `document.currentScript` while the bundle first runs, else the first
 * `script[data-site-key]` (currentScript is null when a tag manager injects the bundle oddly).
 */
export function findScript(doc: Document): HTMLScriptElement | null {
  const own = doc.currentScript as HTMLScriptElement | null;
  if (own?.dataset.siteKey) return own;
  return doc.querySelector<HTMLScriptElement>('script[data-site-key]') ?? own;
}

/** Settings from the tag's attributes; the API base defaults to the origin the bundle came from. */
export function scriptConfig(script: HTMLScriptElement | null, pageUrl: string): InitOptions {
  if (!script) return {};
  const d = script.dataset;
  let origin: string | undefined;
  if (script.src) origin = new URL(script.src, pageUrl).origin;
  // Browsers hide the nonce *attribute* once the script runs; data-nonce or the property remain.
  return { siteKey: d.siteKey, api: d.api || origin, nonce: d.nonce || script.nonce || undefined };
}

const defined = (o: InitOptions = {}) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v != null && v !== '')) as InitOptions;

/**
 * Replaces the loader stub with the real `Rapport(command, options)`, replays the calls queued
 * before the bundle arrived, and starts the widget once (from an `init` call or the script tag).
 * `open`/`close` sent before the widget is ready are remembered and applied when it is.
 */
export function boot(win: BootWindow, start: (config: WidgetConfig) => Promise<WidgetHandle | null>): void {
  const stub = win.Rapport;
  if (stub?.loaded) return; // a second <script> tag: the first copy owns the widget
  const fromTag = scriptConfig(findScript(win.document), win.location.href);
  let started = false;
  let widget: WidgetHandle | null = null;
  let wantOpen: boolean | null = null;
  const apply = () => {
    if (widget && wantOpen !== null) (wantOpen ? widget.open : widget.close)();
    wantOpen = null;
  };

  const rapport: RapportFn = (command, options) => {
    if (command === 'open' || command === 'close') {
      wantOpen = command === 'open';
      if (widget) apply();
    } else if (command !== 'init') {
      console.warn(`Rapport: unknown command "${command}"; use "init", "open" or "close".`);
    } else if (!started) {
      const c = { ...fromTag, ...defined(options) };
      if (!c.siteKey) {
        console.warn('Rapport: no site key. Add data-site-key="pk_…" to the widget script tag or call Rapport("init", { siteKey }).');
        return;
      }
      started = true;
      start({ siteKey: c.siteKey, api: c.api ?? win.location.origin, nonce: c.nonce }).then(
        (w) => {
          widget = w;
          apply();
        },
        (e) => console.warn('Rapport: the widget failed to start:', e),
      );
    }
  };
  rapport.loaded = true;
  win.Rapport = rapport;
  for (const args of Array.from(stub?.q ?? [])) rapport(...(Array.from(args) as [string, InitOptions?]));
  // Without data-site-key the page decides when to start (e.g. after consent) with an init call.
  if (!started && fromTag.siteKey) rapport('init');
}
