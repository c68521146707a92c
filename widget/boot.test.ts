// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { boot, type BootWindow } from './boot.js';
import type { WidgetHandle } from './mount.js';
import { snippet } from './snippet.js';
import type { WidgetConfig } from './start.js';

const win = window as unknown as BootWindow;

/** Puts the loader snippet in the page and runs its inline stub, as a browser would. */
function paste(html: string) {
  document.body.innerHTML = html; // scripts added this way never run or load
  const stub = document.querySelector('script:not([src])')!.textContent!;
  new Function('window', 'Rapport', `with (window) { ${stub} }`)(window, undefined);
}

function fakeStart() {
  const handle = { host: document.body, open: vi.fn(), close: vi.fn(), unmount: vi.fn() } satisfies WidgetHandle;
  let ready!: (h: WidgetHandle | null) => void;
  const start = vi.fn((_c: WidgetConfig) => new Promise<WidgetHandle | null>((r) => (ready = r)));
  return { handle, start, ready: (h: WidgetHandle | null = handle) => ready(h) };
}

// happy-dom tries to fetch the bundle <script src> it sees; there is nothing to load here.
(window as unknown as { happyDOM: { settings: { handleDisabledFileLoadingAsSuccess: boolean } } }).happyDOM.settings.handleDisabledFileLoadingAsSuccess = true;

beforeEach(() => {
  delete win.Rapport;
  document.body.innerHTML = '';
});
afterEach(() => vi.restoreAllMocks());

describe('boot', () => {
  test('reads the site key from the tag and defaults the API to the origin the bundle came from', () => {
    paste(snippet({ baseUrl: 'https://chat.example.com', siteKey: 'pk_live' }));
    const f = fakeStart();
    boot(win, f.start);
    expect(f.start).toHaveBeenCalledWith({ siteKey: 'pk_live', api: 'https://chat.example.com', nonce: undefined });
  });

  test('data-api and data-nonce are passed on', () => {
    paste(snippet({ baseUrl: 'https://h.example/rapport', siteKey: 'pk_a', nonce: 'n0nce' }));
    const f = fakeStart();
    boot(win, f.start);
    expect(f.start).toHaveBeenCalledWith({ siteKey: 'pk_a', api: 'https://h.example/rapport', nonce: 'n0nce' });
  });

  test('prefers document.currentScript when it carries a site key', () => {
    paste(snippet({ baseUrl: 'https://one.example', siteKey: 'pk_one' }));
    const own = document.createElement('script');
    own.src = 'https://two.example/widget.js';
    own.dataset.siteKey = 'pk_two';
    vi.spyOn(document, 'currentScript', 'get').mockReturnValue(own);
    const f = fakeStart();
    boot(win, f.start);
    expect(f.start).toHaveBeenCalledWith(expect.objectContaining({ siteKey: 'pk_two', api: 'https://two.example' }));
  });

  test('replays queued calls: an init overrides the tag, an early open is applied once ready', async () => {
    paste(snippet({ baseUrl: 'https://h.example', siteKey: 'pk_tag' }));
    win.Rapport!('open');
    win.Rapport!('init', { siteKey: 'pk_init', api: 'https://api.example' });
    expect(win.Rapport!.q).toHaveLength(2);
    const f = fakeStart();
    boot(win, f.start);
    expect(f.start).toHaveBeenCalledTimes(1);
    expect(f.start).toHaveBeenCalledWith({ siteKey: 'pk_init', api: 'https://api.example', nonce: undefined });
    expect(f.handle.open).not.toHaveBeenCalled();
    f.ready();
    await vi.waitFor(() => expect(f.handle.open).toHaveBeenCalledTimes(1));
    win.Rapport!('close');
    expect(f.handle.close).toHaveBeenCalledTimes(1);
  });

  test('init is idempotent: a second init or a second copy of the bundle starts nothing', () => {
    paste(snippet({ baseUrl: 'https://h.example', siteKey: 'pk_a' }));
    const f = fakeStart();
    boot(win, f.start);
    win.Rapport!('init', { siteKey: 'pk_other' });
    const second = fakeStart();
    boot(win, second.start); // the same bundle loaded by a second <script> tag
    expect(f.start).toHaveBeenCalledTimes(1);
    expect(second.start).not.toHaveBeenCalled();
  });

  test('without a site key it waits for an init call, and warns about an init without one', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const f = fakeStart();
    boot(win, f.start);
    expect(f.start).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    win.Rapport!('init', {});
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('no site key'));
    win.Rapport!('init', { siteKey: 'pk_late', api: 'https://api.example' });
    expect(f.start).toHaveBeenCalledWith({ siteKey: 'pk_late', api: 'https://api.example', nonce: undefined });
  });

  test('an unknown command is reported, not thrown', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    boot(win, fakeStart().start);
    win.Rapport!('explode');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('unknown command "explode"'));
  });
});
