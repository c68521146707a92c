import type { ComparisonChoice, FlagReason } from '../protocol/widget.js';
import type { DownReason } from './reasons.js';

/** Every string the visitor can see or hear (screen readers included). */
export type Strings = {
  open: string;
  close: string;
  /** Dialog label; "{name}" is the site's name. */
  dialog: string;
  placeholder: string;
  send: string;
  notSent: string;
  retry: string;
  thinking: string;
  replyFailed: string;
  failed: string;
  helpful: string;
  notHelpful: string;
  whatWentWrong: string;
  comment: string;
  submitFeedback: string;
  thanks: string;
  whichBetter: string;
  answer: string;
  choices: Record<ComparisonChoice, string>;
  voted: string;
  report: string;
  reportTitle: string;
  flagReasons: Record<Exclude<FlagReason, 'wants_human'>, string>;
  submitReport: string;
  cancel: string;
  reported: string;
  human: string;
  humanRequested: string;
  reasons: Record<DownReason, string>;
};

const en: Strings = {
  open: 'Open chat',
  close: 'Close chat',
  dialog: 'Chat with {name}',
  placeholder: 'Type your question…',
  send: 'Send',
  notSent: 'Not sent.',
  retry: 'Retry',
  thinking: 'Writing an answer…',
  replyFailed: 'Sorry, the answer could not be completed. Please try again.',
  failed: 'That did not work. Please check your connection and try again.',
  helpful: 'Helpful',
  notHelpful: 'Not helpful',
  whatWentWrong: 'What went wrong?',
  comment: 'Anything to add? (optional)',
  submitFeedback: 'Send feedback',
  thanks: 'Thanks for your feedback!',
  whichBetter: 'Which answer is better?',
  answer: 'Answer',
  choices: { a: 'A is better', b: 'B is better', tie: 'About the same', both_bad: 'Both are bad' },
  voted: 'Thanks, your vote helps the assistant improve.',
  report: 'Report this conversation',
  reportTitle: 'What is the problem?',
  flagReasons: { wrong: 'Wrong information', harmful: 'Harmful or offensive', other: 'Something else' },
  submitReport: 'Send report',
  cancel: 'Cancel',
  reported: 'Thanks, our team will review this conversation.',
  human: 'Talk to a human',
  humanRequested: 'A person from our team will look at this conversation.',
  reasons: {
    wrong: 'Wrong',
    unhelpful: 'Unhelpful',
    incomplete: 'Incomplete',
    off_topic: 'Off topic',
    rude: 'Rude',
    unsafe: 'Unsafe',
  },
};

const fr: Strings = {
  open: 'Ouvrir la discussion',
  close: 'Fermer la discussion',
  dialog: 'Discussion avec {name}',
  placeholder: 'Posez votre question…',
  send: 'Envoyer',
  notSent: 'Non envoyé.',
  retry: 'Réessayer',
  thinking: 'Rédaction de la réponse…',
  replyFailed: 'Désolé, la réponse n’a pas pu aboutir. Veuillez réessayer.',
  failed: 'Cela n’a pas fonctionné. Vérifiez votre connexion et réessayez.',
  helpful: 'Utile',
  notHelpful: 'Pas utile',
  whatWentWrong: 'Qu’est-ce qui n’allait pas ?',
  comment: 'Un commentaire ? (facultatif)',
  submitFeedback: 'Envoyer l’avis',
  thanks: 'Merci pour votre avis !',
  whichBetter: 'Quelle réponse est la meilleure ?',
  answer: 'Réponse',
  choices: { a: 'A est meilleure', b: 'B est meilleure', tie: 'Équivalentes', both_bad: 'Aucune des deux' },
  voted: 'Merci, votre vote aide l’assistant à progresser.',
  report: 'Signaler cette discussion',
  reportTitle: 'Quel est le problème ?',
  flagReasons: { wrong: 'Information fausse', harmful: 'Contenu choquant ou dangereux', other: 'Autre chose' },
  submitReport: 'Envoyer le signalement',
  cancel: 'Annuler',
  reported: 'Merci, notre équipe va examiner cette discussion.',
  human: 'Parler à une personne',
  humanRequested: 'Une personne de notre équipe va consulter cette discussion.',
  reasons: {
    wrong: 'Faux',
    unhelpful: 'Inutile',
    incomplete: 'Incomplet',
    off_topic: 'Hors sujet',
    rude: 'Impoli',
    unsafe: 'Dangereux',
  },
};

export const locales: Record<string, Strings> = { en, fr };

/** The table for a BCP 47 tag: exact match, then its language ("fr-CA" → fr), then English. */
export function pickStrings(tag: string | undefined): Strings {
  const t = (tag ?? '').toLowerCase();
  return locales[t] ?? locales[t.split(/[-_]/)[0]] ?? en;
}
