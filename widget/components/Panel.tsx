import { useEffect, useRef } from 'preact/hooks';
import type { SiteInfo } from '../../protocol/widget.js';
import type { ChatState } from '../chat-state.js';
import type { Strings } from '../locale.js';
import type { ChatActions } from '../use-chat.js';
import { Composer } from './Composer.js';
import { ConversationActions } from './ConversationActions.js';
import { Icon, icons } from './Icon.js';
import { MessageList } from './MessageList.js';

type Props = { t: Strings; site: SiteInfo; state: ChatState; actions: ChatActions; onClose: () => void };

export function Panel({ t, site, state, actions, onClose }: Props) {
  const input = useRef<HTMLTextAreaElement>(null);
  // Focus moves into the dialog when it opens, straight to where the visitor will type.
  useEffect(() => input.current?.focus(), []);
  const busy = state.messages.some((m) => m.status === 'sending' || m.status === 'streaming');
  return (
    <div
      class="panel"
      role="dialog"
      aria-label={t.dialog.replace('{name}', site.name)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <header>
        <h2>{site.name}</h2>
        <button type="button" aria-label={t.close} onClick={onClose}>
          <Icon d={icons.close} />
        </button>
      </header>
      <MessageList t={t} greeting={site.greeting} state={state} actions={actions} />
      <Composer t={t} busy={busy} onSend={actions.send} inputRef={input} />
      <ConversationActions t={t} actions={actions} />
    </div>
  );
}
