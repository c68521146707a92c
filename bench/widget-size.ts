/**
 * Widget size: gzip bytes of the built bundle (dist/widget/widget.js) and of the loader snippet a site
 * pastes. Builds the widget first when the bundle is missing or older than widget/ sources.
 *   npm run bench -- widget-size
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'widget', 'widget.js');

/** The snippet of the demo site, as in the README: what every host page carries inline. */
const SNIPPET =
  '<script>window.Rapport=window.Rapport||function(){(Rapport.q=Rapport.q||[]).push(arguments)};</script>' +
  '<script async src="http://localhost:8787/widget.js" data-site-key="pk_demo"></script>';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const stale =
  !existsSync(bundle) ||
  Math.max(newestMtime(path.join(root, 'widget')), statSync(path.join(root, 'vite.config.ts')).mtimeMs) > statSync(bundle).mtimeMs;
if (stale) {
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) {
    console.error('widget build failed: run `npm run build:widget` to see why');
    process.exit(1);
  }
}

// Level 9, as size-limit and most CDNs' static gzip use.
const gz = (b: Buffer | string) => gzipSync(b, { level: 9 }).length;
const js = readFileSync(bundle);
console.log(
  `BENCH widget-size ${JSON.stringify({
    gzipBytes: gz(js),
    loaderBytes: gz(SNIPPET),
    rawBytes: js.length,
    loaderRawBytes: Buffer.byteLength(SNIPPET),
    rebuilt: stale,
  })}`,
);
