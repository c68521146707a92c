// @vitest-environment happy-dom
import { afterEach, expect, test, vi } from 'vitest';
import { applyStyles } from './styles.js';

const shadowRoot = () => document.createElement('div').attachShadow({ mode: 'open' });

afterEach(() => vi.restoreAllMocks());

test('uses a constructable stylesheet, so no inline <style> needs CSP permission', () => {
  const root = shadowRoot();
  applyStyles(root, 'n0nce');
  expect(root.querySelector('style')).toBeNull();
  const [sheet] = root.adoptedStyleSheets;
  expect(Array.from(sheet.cssRules, (r) => r.cssText).join('\n')).toContain('.launcher');
});

test('falls back to a <style> element carrying the CSP nonce', () => {
  vi.spyOn(CSSStyleSheet.prototype, 'replaceSync').mockImplementation(() => {
    throw new Error('not supported');
  });
  const root = shadowRoot();
  applyStyles(root, 'n0nce');
  const style = root.querySelector('style')!;
  expect(style.getAttribute('nonce')).toBe('n0nce');
  expect(style.textContent).toContain('.launcher');
  expect(style.textContent).toMatch(/@media \(max-width: ?639\.98px\)/);
});
