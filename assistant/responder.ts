/**
 * The seam between "a visitor asked something" and "whatever writes the answer". Routes and services
 * only see this interface: the retrieval responder implements it today, the trained policy later.
 */

export interface Turn {
  role: 'user' | 'assistant' | 'staff';
  content: string;
}

export interface ResponderInput {
  /** The site's persona (prompt preamble for generative responders). */
  persona: string;
  /** Values for `{{Placeholder}}` slots in answers (e.g. "Website Name"). */
  placeholders: Record<string, string>;
  /** Earlier turns of the conversation, oldest first (without the current question). */
  history: Turn[];
  /** The visitor's current message. */
  question: string;
  /** Fired when the visitor goes away: responders stop generating. */
  signal?: AbortSignal;
}

/** One answer being written: who writes it and its text as a stream of pieces. */
export interface Draft {
  /** Responder family, e.g. "retrieval" or "policy". */
  responder: string;
  /** Exact version that produced it (knowledge version, model checkpoint id, …). */
  modelVersion: string;
  /** The answer, piece by piece; concatenated it is the whole answer. */
  tokens: AsyncIterable<string>;
}

export interface Responder {
  /**
   * Writes `count` answers to the same input (1, or 2 for a side-by-side comparison). With 2, the
   * drafts must differ in content (different passage, sample or model); a responder that cannot
   * produce two different answers returns fewer and the caller shows a plain turn.
   */
  draft(input: ResponderInput, count: 1 | 2): Promise<Draft[]>;
}
