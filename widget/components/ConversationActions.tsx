import { useState } from 'preact/hooks';
import type { FlagReason } from '../../protocol/widget.js';
import type { Strings } from '../locale.js';
import type { ChatActions } from '../use-chat.js';
import { FlagForm } from './FlagForm.js';

type Props = { t: Strings; actions: ChatActions };

/** "Talk to a human" and "Report this conversation", with a visible confirmation of each. */
export function ConversationActions({ t, actions }: Props) {
  const [reporting, setReporting] = useState(false);
  const [notice, setNotice] = useState('');
  const flag = async (reason: FlagReason, comment?: string) => {
    setReporting(false);
    const ok = await actions.flag(reason, comment);
    setNotice(!ok ? t.failed : reason === 'wants_human' ? t.humanRequested : t.reported);
  };
  if (reporting) return <FlagForm t={t} onSubmit={flag} onCancel={() => setReporting(false)} />;
  return (
    <div class="foot">
      <button type="button" onClick={() => flag('wants_human')}>
        {t.human}
      </button>
      <button type="button" onClick={() => setReporting(true)}>
        {t.report}
      </button>
      <p class="note" role="status">
        {notice}
      </p>
    </div>
  );
}
