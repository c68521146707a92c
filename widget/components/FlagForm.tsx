import { useState } from 'preact/hooks';
import { Limits } from '../../protocol/limits.js';
import type { FlagReason } from '../../protocol/widget.js';
import type { Strings } from '../locale.js';

type Props = { t: Strings; onSubmit: (reason: FlagReason, comment: string) => void; onCancel: () => void };

const reasons = ['wrong', 'harmful', 'other'] as const;

export function FlagForm({ t, onSubmit, onCancel }: Props) {
  const [reason, setReason] = useState<(typeof reasons)[number]>('wrong');
  const [comment, setComment] = useState('');
  return (
    <form
      class="form foot"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(reason, comment);
      }}
    >
      <fieldset class="form">
        <legend>{t.reportTitle}</legend>
        {reasons.map((r) => (
          <label key={r}>
            <input type="radio" name="reason" checked={reason === r} onChange={() => setReason(r)} />
            {t.flagReasons[r]}
          </label>
        ))}
      </fieldset>
      <textarea
        rows={2}
        maxLength={Limits.commentChars}
        aria-label={t.comment}
        placeholder={t.comment}
        value={comment}
        onInput={(e) => setComment(e.currentTarget.value)}
      />
      <div class="acts">
        <button type="submit" class="primary">
          {t.submitReport}
        </button>
        <button type="button" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
