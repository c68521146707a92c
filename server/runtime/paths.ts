import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project folder (the one with package.json), found by walking up from this module. The same code
 * runs from server/runtime/*.ts under tsx and bundled into dist/server/*.js by `npm run build`, so
 * relative URLs from import.meta.url would point to different places.
 */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'migrations'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the Rapport project folder (package.json beside migrations/) above the server code');
    dir = parent;
  }
}

/** A file or folder of the project, e.g. `projectPath('dist/widget/widget.js')`. */
export function projectPath(...parts: string[]): string {
  return path.join(projectRoot(), ...parts);
}
