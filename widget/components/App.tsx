import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { SiteInfo } from '../../protocol/widget.js';
import type { Strings } from '../locale.js';
import { useChat, type ChatDeps } from '../use-chat.js';
import { Launcher } from './Launcher.js';
import { Panel } from './Panel.js';

type Props = { t: Strings; site: SiteInfo; deps: ChatDeps; open: boolean; onOpenChange: (open: boolean) => void };

/** Launcher plus panel. `open` is controlled from outside so `Rapport('open')` and clicks agree. */
export function App({ t, site, deps, open, onOpenChange }: Props) {
  const { state, actions } = useChat(deps);
  const launcher = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(open);

  useEffect(() => {
    // History is not needed for the first paint: fetch it when the visitor first opens the panel.
    if (open) void actions.load();
  }, [open]);

  // Layout effect: right after the panel leaves the DOM, before a keyboard user can act.
  useLayoutEffect(() => {
    // On close, give focus back to the launcher if it was inside the panel (and so was just lost
    // with it); never steal it from the host page.
    const el = launcher.current;
    if (wasOpen.current && !open && el) {
      const active = el.ownerDocument.activeElement;
      if (!active || active === el.ownerDocument.body) el.focus();
    }
    wasOpen.current = open;
  }, [open]);

  const { accent, position } = site.theme;
  return (
    <div class={position === 'left' ? 'r left' : 'r'} style={accent ? { '--rapport-accent': accent } : undefined}>
      {open && <Panel t={t} site={site} state={state} actions={actions} onClose={() => onOpenChange(false)} />}
      <Launcher open={open} t={t} onToggle={() => onOpenChange(!open)} buttonRef={launcher} />
    </div>
  );
}
