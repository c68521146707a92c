import { defineConfig } from 'vite';

/** Server bundle (`npm run build:server`): one ESM file per entry, dependencies left external. */
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'dist/server',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: {
      input: { main: 'server/main.ts', cli: 'server/cli.ts', start: 'server/start.ts', 'generation-worker': 'assistant/policy/generation-worker.ts' },
      output: { format: 'esm', entryFileNames: '[name].js' },
    },
  },
});
