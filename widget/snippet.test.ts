import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { snippet } from './snippet.js';

describe('snippet', () => {
  test('a queueing stub plus the async bundle tag carrying the site key', () => {
    expect(snippet({ baseUrl: 'https://chat.example.com/', siteKey: 'pk_abc' })).toBe(
      '<script>window.Rapport=window.Rapport||function(){(Rapport.q=Rapport.q||[]).push(arguments)};</script>\n' +
        '<script async src="https://chat.example.com/widget.js" data-site-key="pk_abc"></script>\n',
    );
  });

  test('a CSP nonce goes on both scripts and, as data-nonce, to the bundle for its styles', () => {
    const html = snippet({ baseUrl: 'https://h.example', siteKey: 'pk_a', nonce: 'r4nd0m' });
    expect(html.match(/ nonce="r4nd0m"/g)).toHaveLength(2);
    expect(html).toContain(' data-nonce="r4nd0m"');
  });

  test('a base URL with a path prefix also tells the bundle where the API is', () => {
    expect(snippet({ baseUrl: 'https://h.example/rapport/', siteKey: 'pk_a' })).toContain(
      'src="https://h.example/rapport/widget.js" data-site-key="pk_a" data-api="https://h.example/rapport"',
    );
  });

  test('attribute values are escaped', () => {
    const html = snippet({ baseUrl: 'https://h.example', siteKey: 'pk_"><script>x', nonce: 'a"b' });
    expect(html).not.toContain('"><script>x');
    expect(html).toContain('data-site-key="pk_&#34;&#62;&#60;script&#62;x"');
  });

  test('refuses a non-http base URL', () => {
    expect(() => snippet({ baseUrl: 'javascript:alert(1)', siteKey: 'pk_a' })).toThrow(/http\(s\)/);
  });

  test('stays under 1 KB gzip even with a nonce and a path prefix', () => {
    const html = snippet({ baseUrl: 'https://support.example-company.com/rapport', siteKey: 'pk_' + 'x'.repeat(40), nonce: 'n'.repeat(44) });
    expect(gzipSync(html).length).toBeLessThan(1024);
  });
});
