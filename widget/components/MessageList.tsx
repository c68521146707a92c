import { useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import type { ChatState } from '../chat-state.js';
import type { Strings } from '../locale.js';
import { renderMarkdown } from '../markdown.js';
import type { ChatActions } from '../use-chat.js';
import { MessageItem } from './MessageItem.js';

type Props = { t: Strings; greeting: string; state: ChatState; actions: ChatActions };

export function MessageList({ t, greeting, state, actions }: Props) {
  const log = useRef<HTMLDivElement>(null);
  const welcome = useMemo(() => renderMarkdown(greeting), [greeting]);
  const streaming = state.messages.some((m) => m.status === 'streaming');
  // Follow the conversation as it grows, including token by token.
  useLayoutEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [state.messages]);
  return (
    // aria-busy while a reply streams, so screen readers announce it once complete, not per token.
    <div class="log" ref={log} aria-live="polite" aria-busy={streaming}>
      {greeting && <div class="msg assistant">{welcome}</div>}
      {state.messages.map((m) => (
        <MessageItem key={m.key} t={t} m={m} feedback={m.id ? state.feedback[m.id] : undefined} actions={actions} />
      ))}
    </div>
  );
}
