/**
 * Corpora the tokenizer tests train on (test support; not used at run time). The small corpus is a
 * slice of the Bitext support data plus short texts in other scripts, so merges include pieces of
 * multi-byte characters and decoding must handle tokens that end mid-character.
 */
import { readJsonlTexts } from './corpus.js';

export const BITEXT_FILE = new URL('../../data/bitext_cs_4514.jsonl', import.meta.url);

let bitext: string[] | undefined;
/** Instructions and responses of the Bitext customer-support set (read once). */
export function bitextTexts(): string[] {
  return (bitext ??= readJsonlTexts(BITEXT_FILE, ['instruction', 'response']));
}

const MULTILINGUAL = [
  'Grüße aus München! Straße, Größe, Fußgänger.',
  'Où est ma commande ? Ça arrive déjà, très bientôt.',
  '我想取消我的订单。请问怎么退款？谢谢您的帮助。',
  'ご注文ありがとうございます。配送状況を確認します。',
  'Заказ отменён. Спасибо за ваше терпение!',
  'طلبك في الطريق، شكرا لك',
  'Thanks 😀🙏🏽 great service 👍👍 — see you 🇫🇷 soon…',
];

/** About 60 KB: the first 200 Bitext rows plus each multilingual line repeated. */
export function smallCorpus(): string[] {
  const texts = bitextTexts().slice(0, 400);
  for (let i = 0; i < 20; i++) texts.push(...MULTILINGUAL);
  return texts;
}
