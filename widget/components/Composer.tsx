import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import { Limits } from '../../protocol/limits.js';
import type { Strings } from '../locale.js';

type Props = { t: Strings; busy: boolean; onSend: (text: string) => void; inputRef: Ref<HTMLTextAreaElement> };

/** Enter sends, Shift+Enter adds a line; one question at a time while a reply is being written. */
export function Composer({ t, busy, onSend, inputRef }: Props) {
  const [text, setText] = useState('');
  const submit = (e?: Event) => {
    e?.preventDefault();
    const value = text.trim();
    if (!value || busy) return;
    onSend(value);
    setText('');
  };
  return (
    <form class="composer" onSubmit={submit}>
      <textarea
        ref={inputRef}
        rows={2}
        maxLength={Limits.messageChars}
        aria-label={t.placeholder}
        placeholder={t.placeholder}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submit(e);
        }}
      />
      <button type="submit" class="primary" disabled={busy || !text.trim()}>
        {t.send}
      </button>
    </form>
  );
}
