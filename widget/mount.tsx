import { render } from 'preact';
import type { SiteInfo } from '../protocol/widget.js';
import { App } from './components/App.js';
import { pickStrings } from './locale.js';
import { applyStyles } from './styles.js';
import type { ChatDeps } from './use-chat.js';

export type MountOptions = ChatDeps & { doc: Document; site: SiteInfo; nonce?: string };

export type WidgetHandle = { host: HTMLElement; open(): void; close(): void; unmount(): void };

/** Appends the widget's host element to the page and renders the launcher in its shadow root. */
export function mountWidget({ doc, site, nonce, ...deps }: MountOptions): WidgetHandle {
  const host = doc.createElement('div');
  host.setAttribute('data-rapport-widget', '');
  const shadow = host.attachShadow({ mode: 'open' });
  applyStyles(shadow, nonce);
  // Preact gets its own container: rendering into the shadow root itself would let it treat the
  // fallback <style> element as a stale child and remove it.
  const container = doc.createElement('div');
  shadow.append(container);
  doc.body.append(host);

  const t = pickStrings(site.locale);
  let open = false;
  const paint = () => render(<App t={t} site={site} deps={deps} open={open} onOpenChange={setOpen} />, container);
  function setOpen(next: boolean) {
    open = next;
    paint();
  }
  paint();
  return {
    host,
    open: () => setOpen(true),
    close: () => setOpen(false),
    unmount() {
      render(null, container);
      host.remove();
    },
  };
}
