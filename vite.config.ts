/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import { snippet } from './widget/snippet.js';

/**
 * Emits a sample loader snippet next to the bundle so size-limit can hold it to its 1 KB budget
 * (see .size-limit.json); the server builds the real one per site.
 */
function sampleSnippet(): Plugin {
  return {
    name: 'rapport-sample-snippet',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'snippet.html',
        source: snippet({ baseUrl: 'https://example.com', siteKey: 'pk_demo' }),
      });
    },
  };
}

// The default build is the embeddable widget: ONE classic-script IIFE with its CSS inlined as a
// string (widget/styles.ts), because a host page loads exactly one <script> and nothing else.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [sampleSnippet()],
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2019',
    minify: true,
    sourcemap: false,
    copyPublicDir: false,
    lib: {
      entry: 'widget/main.ts',
      name: 'RapportWidget',
      formats: ['iife'],
      fileName: () => 'widget.js',
    },
    rolldownOptions: {
      // ASCII-only output: host pages serve or declare all sorts of charsets, and a bundle decoded
      // as windows-1252 would show "â€¦" for every "…" and mangle every French string.
      output: { codeSplitting: false, charset: 'ascii' },
    },
  },
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['tests/support/global-setup.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
    // Widget tests import `styles.css?inline`; process it so they see the real stylesheet.
    css: { include: [/\/widget\/.*\.css/] },
  },
});
