import { readFile } from 'node:fs/promises';
import { Hono } from 'hono';
import { embedSnippet } from '../services/sites/snippet.js';
import { listen, type Listening } from './listen.js';
import { projectPath } from './paths.js';
import { DEMO_SITE_KEY } from './demo-seed.js';

/** The snippet as written in demo/index.html: the page works as a plain file against the default port. */
export const DEMO_PAGE_SNIPPET =
  '<script>window.Rapport=window.Rapport||function(){(Rapport.q=Rapport.q||[]).push(arguments)};</script>' +
  `<script async src="http://localhost:8787/widget.js" data-site-key="${DEMO_SITE_KEY}"></script>`;

/** The demo page with its snippet pointing at `publicUrl` (PUBLIC_URL or the API's real port). */
export async function renderDemoPage(publicUrl: string, file = projectPath('demo', 'index.html')): Promise<string> {
  const html = await readFile(file, 'utf8');
  if (!html.includes(DEMO_PAGE_SNIPPET)) {
    throw new Error(`${file} no longer contains the loader snippet ${DEMO_PAGE_SNIPPET}: put it back before </body>`);
  }
  return html.replace(DEMO_PAGE_SNIPPET, embedSnippet({ publicUrl, siteKey: DEMO_SITE_KEY }));
}

/**
 * Serves the demo shop page on its own port, so the widget runs cross-origin exactly as on a
 * customer's site (the page's origin is in the demo site's allowlist; the API's is not).
 */
export async function serveDemoPage({ host, port, publicUrl }: { host: string; port: number; publicUrl: string }): Promise<Listening> {
  const page = await renderDemoPage(publicUrl);
  const app = new Hono();
  app.get('/', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.html(page);
  });
  app.get('/index.html', (c) => c.redirect('/'));
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.notFound((c) => c.text('Not found: the demo page is at /', 404));
  return listen(app.fetch, { host, port, what: 'demo page', portVariable: 'DEMO_PORT' });
}
