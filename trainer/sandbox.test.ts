import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processorFile, sandboxExecArgv } from './sandbox.js';

describe('sandboxed processor files', () => {
  it('point at the TypeScript processor next to this folder', () => {
    expect(processorFile('sft')).toMatch(/trainer\/processors\/sft\.ts$/);
    expect(existsSync(processorFile('sft'))).toBe(true);
  });

  it('keep tsx loader flags when the parent has them, add tsx otherwise, and drop --inspect', () => {
    const underTsx = ['--require', '/x/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///x/node_modules/tsx/dist/loader.mjs'];
    expect(sandboxExecArgv(underTsx)).toEqual(underTsx);
    const plain = sandboxExecArgv(['--inspect=9229', '--max-old-space-size=4096']);
    expect(plain.slice(0, 2)).toEqual(['--max-old-space-size=4096', '--import']);
    expect(plain[2]).toMatch(/^file:\/\/.*tsx\/dist\/loader\.mjs$/);
  });
});
