import type { Comparison, ComparisonChoice } from '../../protocol/widget.js';
import type { Strings } from '../locale.js';
import { renderMarkdown } from '../markdown.js';

type Props = { t: Strings; comparison: Comparison; onChoose: (choice: ComparisonChoice) => void };

const choices: ComparisonChoice[] = ['a', 'b', 'tie', 'both_bad'];

/** Two candidate answers side by side; the visitor's pick trains the reward model. */
export function CompareView({ t, comparison, onChoose }: Props) {
  const { choice } = comparison;
  const side = (label: 'A' | 'B', text: string, won: boolean) => (
    <section class={won ? 'won' : undefined} aria-label={`${t.answer} ${label}`}>
      <h3>{label}</h3>
      {renderMarkdown(text)}
    </section>
  );
  return (
    <div class="msg cmp">
      <p>{t.whichBetter}</p>
      <div class="cols">
        {side('A', comparison.a, choice === 'a')}
        {side('B', comparison.b, choice === 'b')}
      </div>
      {choice ? (
        <p class="note" role="status">
          {t.voted}
        </p>
      ) : (
        <div class="acts" role="group" aria-label={t.whichBetter}>
          {choices.map((c) => (
            <button key={c} type="button" onClick={() => onChoose(c)}>
              {t.choices[c]}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
