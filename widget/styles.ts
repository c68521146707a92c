import css from './styles.css?inline';

/**
 * Puts the widget's CSS into its shadow root. A constructable stylesheet needs no inline <style>,
 * so it works under a strict Content-Security-Policy without 'unsafe-inline'; older browsers get a
 * <style> element carrying the page's CSP nonce (data-nonce on the script tag).
 */
export function applyStyles(root: ShadowRoot, nonce?: string): void {
  const win = root.ownerDocument.defaultView as (Window & typeof globalThis) | null;
  try {
    if (win && 'adoptedStyleSheets' in root && 'replaceSync' in win.CSSStyleSheet.prototype) {
      // The sheet must be built by the shadow root's own window to be adoptable.
      const sheet = new win.CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
      return;
    }
  } catch {
    // fall back to a <style> element
  }
  const style = root.ownerDocument.createElement('style');
  if (nonce) style.setAttribute('nonce', nonce);
  style.textContent = css;
  root.prepend(style);
}
