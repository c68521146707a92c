import { useMemo } from 'preact/hooks';
import type { ChatMessage, Feedback } from '../chat-state.js';
import type { Strings } from '../locale.js';
import { renderMarkdown } from '../markdown.js';
import type { ChatActions } from '../use-chat.js';
import { CompareView } from './CompareView.js';
import { Thumbs } from './Thumbs.js';

type Props = { t: Strings; m: ChatMessage; feedback: Feedback | undefined; actions: ChatActions };

export function MessageItem({ t, m, feedback, actions }: Props) {
  // Parsed once per content change: while one reply streams, the other bubbles re-render but do
  // not re-parse their markdown per token.
  const body = useMemo(() => (m.role === 'user' ? null : renderMarkdown(m.content)), [m.role, m.content]);
  if (m.role === 'user') {
    return (
      <div class="msg user">
        {m.content}
        {m.status === 'failed' && (
          <p class="err">
            {t.notSent}
            <button type="button" onClick={() => actions.retry(m.key)}>
              {t.retry}
            </button>
          </p>
        )}
      </div>
    );
  }
  if (m.comparison) return <CompareView t={t} comparison={m.comparison} onChoose={(c) => actions.choose(m, c)} />;
  return (
    <div class={`msg ${m.role}`}>
      {m.content ? body : m.status === 'streaming' && <p class="note">{t.thinking}</p>}
      {m.status === 'error' && (
        <p class="err">
          {t.replyFailed}
          {m.replyTo && (
            <button type="button" onClick={() => actions.retry(m.replyTo!)}>
              {t.retry}
            </button>
          )}
        </p>
      )}
      {m.role === 'assistant' && m.status === 'sent' && m.id && (
        <Thumbs t={t} feedback={feedback} onRate={(f) => actions.rate(m.id!, f)} />
      )}
    </div>
  );
}
