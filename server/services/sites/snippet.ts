import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { sites } from '../../db/schema.js';
import { notFound } from '../../errors.js';

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The two tags a business pastes into its pages. The first defines a queue so calls made before
 * widget.js loads (`Rapport('open')`) are kept; the widget reads `data-site-key` from its own tag.
 * The widget's loader depends on exactly this shape. When the server lives under a path prefix
 * (PUBLIC_URL https://host/rapport) the tag adds `data-api`, since the widget otherwise calls its
 * script's origin (the same rule as widget/snippet.ts, which server code may not import).
 */
export function embedSnippet({ publicUrl, siteKey }: { publicUrl: string; siteKey: string }): string {
  const base = publicUrl.replace(/\/+$/, '');
  const api = new URL(base).pathname.length > 1 ? ` data-api="${escapeAttr(base)}"` : '';
  return (
    '<script>window.Rapport=window.Rapport||function(){(Rapport.q=Rapport.q||[]).push(arguments)};</script>' +
    `<script async src="${escapeAttr(base)}/widget.js" data-site-key="${escapeAttr(siteKey)}"${api}></script>`
  );
}

/** The embed snippet of one site, served from `publicUrl` (PUBLIC_URL, else the request's origin). */
export async function getSnippet({ db, siteId, publicUrl }: { db: Db; siteId: string; publicUrl: string }): Promise<{ html: string }> {
  const [site] = await db.select({ publicKey: sites.publicKey }).from(sites).where(eq(sites.id, siteId));
  if (!site) throw notFound('site');
  return { html: embedSnippet({ publicUrl, siteKey: site.publicKey }) };
}
