import { useState } from 'preact/hooks';
import type { Rating } from '../../protocol/widget.js';
import type { Feedback } from '../chat-state.js';
import type { Strings } from '../locale.js';
import { DownReasonsForm } from './DownReasonsForm.js';
import { Icon, icons } from './Icon.js';

type Props = { t: Strings; feedback: Feedback | undefined; onRate: (f: Feedback) => void };

/**
 * Thumbs on one answer. A click records the rating at once (so it counts even if the visitor
 * ignores the follow-up form); clicking the pressed thumb again clears it.
 */
export function Thumbs({ t, feedback, onRate }: Props) {
  const rating = feedback?.rating ?? null;
  const [asking, setAsking] = useState(false);
  const [thanked, setThanked] = useState(false);
  const click = (r: Rating) => {
    const next = rating === r ? null : r;
    onRate({ rating: next, reasons: [], comment: null });
    setAsking(next === 'down');
    setThanked(next === 'up');
  };
  return (
    <div class="fb">
      <button type="button" aria-label={t.helpful} aria-pressed={rating === 'up'} onClick={() => click('up')}>
        <Icon d={icons.thumb} />
      </button>
      <button type="button" class="down" aria-label={t.notHelpful} aria-pressed={rating === 'down'} onClick={() => click('down')}>
        <Icon d={icons.thumb} />
      </button>
      {thanked && (
        <span class="note" role="status">
          {t.thanks}
        </span>
      )}
      {asking && (
        <DownReasonsForm
          t={t}
          onSubmit={(reasons, comment) => {
            onRate({ rating: 'down', reasons, comment });
            setAsking(false);
            setThanked(true);
          }}
        />
      )}
    </div>
  );
}
