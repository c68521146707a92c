import { useState } from 'preact/hooks';
import { Limits } from '../../protocol/limits.js';
import type { Strings } from '../locale.js';
import { downReasons } from '../reasons.js';

type Props = { t: Strings; onSubmit: (reasons: string[], comment: string) => void };

/** Shown after a thumbs-down (already recorded) to say why: reason chips and an optional comment. */
export function DownReasonsForm({ t, onSubmit }: Props) {
  const [picked, setPicked] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const toggle = (r: string) => setPicked((p) => (p.includes(r) ? p.filter((x) => x !== r) : [...p, r]));
  return (
    <form
      class="form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(picked, comment);
      }}
    >
      <div class="chips" role="group" aria-label={t.whatWentWrong}>
        <span class="note">{t.whatWentWrong}</span>
        {downReasons.map((r) => (
          <button key={r} type="button" class="chip" aria-pressed={picked.includes(r)} onClick={() => toggle(r)}>
            {t.reasons[r]}
          </button>
        ))}
      </div>
      <textarea
        rows={2}
        maxLength={Limits.commentChars}
        aria-label={t.comment}
        placeholder={t.comment}
        value={comment}
        onInput={(e) => setComment(e.currentTarget.value)}
      />
      <div>
        <button type="submit" class="primary" disabled={!picked.length && !comment.trim()}>
          {t.submitFeedback}
        </button>
      </div>
    </form>
  );
}
