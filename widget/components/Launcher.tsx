import type { Ref } from 'preact';
import type { Strings } from '../locale.js';
import { Icon, icons } from './Icon.js';

type Props = { open: boolean; t: Strings; onToggle: () => void; buttonRef: Ref<HTMLButtonElement> };

export function Launcher({ open, t, onToggle, buttonRef }: Props) {
  return (
    <button
      ref={buttonRef}
      type="button"
      class="launcher"
      aria-label={open ? t.close : t.open}
      aria-expanded={open}
      onClick={onToggle}
    >
      <Icon d={open ? icons.close : icons.chat} />
    </button>
  );
}
