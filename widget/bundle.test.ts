// @vitest-environment happy-dom
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { snippet } from './snippet.js';
import { fakeServer } from './test-support/fake-server.js';

// Builds the real bundle with the project's vite.config.ts (into a temp folder, so this test does
// not depend on or disturb `npm run build:widget`) and checks what a host page will receive.
const outDir = mkdtempSync(join(tmpdir(), 'rapport-widget-'));
let code = '';

beforeAll(async () => {
  await build({ configFile: join(dirname(fileURLToPath(import.meta.url)), '..', 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  code = readFileSync(join(outDir, 'widget.js'), 'utf8');
}, 60_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

test('one self-contained ASCII IIFE plus the sample snippet: no CSS file, no chunks', () => {
  expect(readdirSync(outDir).sort()).toEqual(['snippet.html', 'widget.js']);
  expect(code).not.toMatch(/[^\x00-\x7f]/);
  expect(code).not.toMatch(/\bimport\s*\(|\bimport\s*[{*]|^export /m);
  expect(code).toContain('.launcher{');
  expect(gzipSync(code).length).toBeLessThanOrEqual(20 * 1024);
  expect(readFileSync(join(outDir, 'snippet.html'), 'utf8')).toBe(snippet({ baseUrl: 'https://example.com', siteKey: 'pk_demo' }));
});

test('the built bundle boots from the pasted snippet and honours queued commands', async () => {
  (window as unknown as { happyDOM: { settings: { handleDisabledFileLoadingAsSuccess: boolean } } }).happyDOM.settings.handleDisabledFileLoadingAsSuccess = true;
  const server = fakeServer();
  vi.stubGlobal('fetch', server.fetch);
  document.body.innerHTML = snippet({ baseUrl: 'https://api.test', siteKey: 'pk_bundle' });
  const stub = document.querySelector('script:not([src])')!.textContent!;
  new Function('window', `with (window) { ${stub}; Rapport('open'); }`)(window);
  new Function('window', `with (window) { ${code} }`)(window);

  const dialog = await vi.waitFor(() => {
    const found = document.querySelector('[data-rapport-widget]')?.shadowRoot?.querySelector('[role=dialog]');
    if (!found) throw new Error('no dialog yet');
    return found;
  });
  expect(dialog.getAttribute('aria-label')).toBe('Chat with Acme');
  expect(server.sent('/sessions')[0]).toMatchObject({ path: '/v1/widget/sessions', body: { siteKey: 'pk_bundle' } });
  vi.unstubAllGlobals();
});
