export type SnippetOptions = {
  /** Where the Rapport server is reachable, e.g. "https://chat.example.com". */
  baseUrl: string;
  /** The site's public key, "pk_…". */
  siteKey: string;
  /** The page's CSP nonce, when the host page uses a nonce-based Content-Security-Policy. */
  nonce?: string;
};

const attr = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The HTML a site owner pastes into their pages: a stub that queues `Rapport(...)` calls made
 * before the bundle arrives, and the async bundle tag. The bundle reads its own data-* attributes,
 * so no init call is needed. With a path prefix ("https://host/rapport") data-api says where
 * the API lives, since by default the bundle uses only its origin.
 */
export function snippet({ baseUrl, siteKey, nonce }: SnippetOptions): string {
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`snippet: baseUrl must be an http(s) URL, got "${baseUrl}"`);
  }
  const base = url.href.replace(/\/+$/, '');
  const n = nonce ? ` nonce="${attr(nonce)}"` : '';
  const api = url.pathname.length > 1 ? ` data-api="${attr(base)}"` : '';
  return (
    `<script${n}>window.Rapport=window.Rapport||function(){(Rapport.q=Rapport.q||[]).push(arguments)};</script>\n` +
    `<script async src="${attr(base)}/widget.js" data-site-key="${attr(siteKey)}"${api}` +
    `${nonce ? ` data-nonce="${attr(nonce)}"` : ''}${n}></script>\n`
  );
}
