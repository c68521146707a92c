/**
 * Held-out paraphrase groups of the Bitext data: one split used by `npm run train:base` (it trains on
 * `train` only, tokenizer included) and by `npm run bench -- sft-quality` (it asks `heldOut`).
 *
 * Bitext holds ~160 paraphrases per intent, many of them the same question with another order number
 * or word order ("cancel purchase 1135…" / "cancel purchase 0000…"). Holding out single entries would
 * leave their near-twins in training and measure recall, not generalisation. So entries are grouped by
 * intent + the sorted set of the question's content words (stopwords, digits and order numbers removed,
 * light stemming), and whole groups go to one side: per intent, the groups whose hash sorts first, ~10 %.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { terms } from '../../assistant/retrieval/index.js';

export interface BitextEntry {
  /** Line number in the data file (0-based), as a string: a stable id. */
  id: string;
  question: string;
  answer: string;
  intent: string;
}

export interface SplitOptions {
  /** Share of each intent's groups held out (at least one group per intent). */
  heldOutShare: number;
  /** Mixed into every group's hash: another salt, another (equally valid) split. */
  salt: string;
}

/** The split train:base and the benchmark agree on; the manifest records it. */
export const DEFAULT_SPLIT: SplitOptions = { heldOutShare: 0.1, salt: 'bitext-groups-v1' };

export interface Split {
  train: BitextEntry[];
  heldOut: BitextEntry[];
  /** Group key of every entry, by id. */
  groupOf: Map<string, string>;
  /** What defines this split (stored in the checkpoint manifest and checked by the benchmark). */
  definition: SplitDefinition;
}

export interface SplitDefinition extends SplitOptions {
  grouping: 'intent + sorted content words (stopwords, digits removed, light stemming)';
  entries: number;
  groups: number;
  trainEntries: number;
  heldOutEntries: number;
  heldOutGroups: number;
  /** sha256 of the sorted held-out ids: equal fingerprints, equal splits. */
  heldOutSha256: string;
}

export const BITEXT_PATH = new URL('../../data/bitext_cs_4514.jsonl', import.meta.url);

export function loadBitext(path: URL | string = BITEXT_PATH): BitextEntry[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line, i) => {
      const r = JSON.parse(line) as { instruction: string; response: string; intent: string };
      return { id: String(i), question: r.instruction, answer: r.response, intent: r.intent };
    });
}

/** Crude suffix stripping so "canceling"/"cancelled"/"cancel", "orders"/"order" share a key. */
function stem(word: string): string {
  for (const suffix of ['ing', 'ed', 'es', 's']) {
    if (word.length > suffix.length + 3 && word.endsWith(suffix)) {
      word = word.slice(0, -suffix.length);
      break;
    }
  }
  // cancell(ed|ing) -> cancel
  return word.replace(/(.)\1$/, '$1');
}

/** The paraphrase group of a question of `intent`: two entries with the same key are near-duplicates. */
export function groupKey(intent: string, question: string): string {
  const words = new Set(terms(question).filter((t) => t.length > 1 && !/\d/.test(t)).map(stem));
  return `${intent}|${[...words].sort().join(' ')}`;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function splitBitext(entries: readonly BitextEntry[], options: SplitOptions = DEFAULT_SPLIT): Split {
  if (!(options.heldOutShare > 0 && options.heldOutShare < 1)) throw new Error(`heldOutShare ${options.heldOutShare}: use a share between 0 and 1, e.g. 0.1`);
  // 1. groups per intent
  const groupOf = new Map<string, string>();
  const groupsByIntent = new Map<string, Set<string>>();
  for (const e of entries) {
    const key = groupKey(e.intent, e.question);
    groupOf.set(e.id, key);
    let set = groupsByIntent.get(e.intent);
    if (!set) groupsByIntent.set(e.intent, (set = new Set()));
    set.add(key);
  }
  // 2. per intent, the groups whose salted hash sorts first are held out (at least one, never all)
  const heldOutGroups = new Set<string>();
  for (const [intent, groups] of groupsByIntent) {
    if (groups.size < 2) throw new Error(`intent ${intent} has a single paraphrase group: it cannot appear on both sides of the split`);
    const ranked = [...groups].sort((a, b) => hash(`${options.salt}|${a}`).localeCompare(hash(`${options.salt}|${b}`)));
    const n = Math.min(groups.size - 1, Math.max(1, Math.round(groups.size * options.heldOutShare)));
    for (const g of ranked.slice(0, n)) heldOutGroups.add(g);
  }
  const train = entries.filter((e) => !heldOutGroups.has(groupOf.get(e.id)!));
  const heldOut = entries.filter((e) => heldOutGroups.has(groupOf.get(e.id)!));
  const definition: SplitDefinition = {
    ...options,
    grouping: 'intent + sorted content words (stopwords, digits removed, light stemming)',
    entries: entries.length,
    groups: new Set(groupOf.values()).size,
    trainEntries: train.length,
    heldOutEntries: heldOut.length,
    heldOutGroups: heldOutGroups.size,
    heldOutSha256: hash(heldOut.map((e) => e.id).sort().join(',')),
  };
  return { train, heldOut, groupOf, definition };
}
