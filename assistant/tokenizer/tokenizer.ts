import { BYTE_TOKENS, describeBytes, utf8, utf8Decoder } from './bytes.js';
import { BpeEncoder } from './bpe-encode.js';
import type { Merge } from './bpe-train.js';
import { words } from './pretokenize.js';
import { checkSpecialTokens, specialTokenPattern, splitOnSpecials } from './special-tokens.js';
import { TOKENIZER_JSON_VERSION, TokenizerJson } from './tokenizer-json.js';

export interface EncodeOptions {
  /**
   * Turn the literal text of special tokens into their ids. Only for text we build (prompt templates);
   * never for visitor or knowledge-base text, where "<|end|>" must stay ordinary characters.
   */
  allowSpecial?: boolean;
}

/**
 * Byte-level BPE tokenizer (GPT-2 style). Written by hand: no maintained npm package trains one with
 * control over vocabulary size and special tokens and also decodes byte-level tokens (the tiktoken
 * and gpt-tokenizer ports only load OpenAI's fixed vocabularies).
 *
 * Ids: 0–255 are bytes, then the special tokens, then one id per merge in learn order. Any text
 * encodes (no unknown token) and decodes back exactly, except lone surrogates, which are not valid
 * UTF-8 and come back as U+FFFD (see `utf8`). Build one with `train()` or `Tokenizer.fromJSON()`.
 */
export class Tokenizer {
  /** Number of ids: 256 bytes + special tokens + merges. Ids are `0 … vocabSize − 1`. */
  readonly vocabSize: number;
  readonly specialTokens: readonly string[];
  readonly merges: readonly Merge[];
  private readonly bytesById: Uint8Array[] = [];
  private readonly specialIds = new Map<string, number>();
  private readonly specialPattern: RegExp | null;
  private readonly encoder: BpeEncoder;
  private readonly decoder = utf8Decoder();

  constructor(merges: readonly Merge[], specialTokens: readonly string[]) {
    checkSpecialTokens(specialTokens);
    this.merges = merges.map(([l, r]) => [l, r] as const);
    this.specialTokens = [...specialTokens];
    for (let b = 0; b < BYTE_TOKENS; b++) this.bytesById.push(Uint8Array.of(b));
    for (const token of specialTokens) {
      this.specialIds.set(token, this.bytesById.length);
      this.bytesById.push(utf8(token));
    }
    const firstMergeId = this.bytesById.length;
    for (const [left, right] of this.merges) {
      const id = this.bytesById.length;
      for (const part of [left, right]) {
        if (!Number.isInteger(part) || part < 0 || part >= id || (part >= BYTE_TOKENS && part < firstMergeId)) {
          throw new Error(`tokenizer: merge ${id - firstMergeId} joins id ${part}, which is not a byte or an earlier merge; the merges are corrupt, retrain or reload the tokenizer`);
        }
      }
      const l = this.bytesById[left];
      const r = this.bytesById[right];
      const joined = new Uint8Array(l.length + r.length);
      joined.set(l);
      joined.set(r, l.length);
      this.bytesById.push(joined);
    }
    this.vocabSize = this.bytesById.length;
    this.specialPattern = specialTokenPattern(this.specialTokens);
    this.encoder = new BpeEncoder(this.merges, firstMergeId);
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const out: number[] = [];
    if (!options.allowSpecial) {
      this.encodeOrdinary(text, out);
      return out;
    }
    for (const piece of splitOnSpecials(text, this.specialPattern)) {
      if (piece.special !== undefined) out.push(this.specialIds.get(piece.special)!);
      else this.encodeOrdinary(piece.text, out);
    }
    return out;
  }

  /** The text of `ids`. Special tokens decode to their literal text; see `StreamDecoder` for streaming. */
  decode(ids: Iterable<number>): string {
    const parts: Uint8Array[] = [];
    let length = 0;
    for (const id of ids) {
      const bytes = this.tokenBytes(id);
      parts.push(bytes);
      length += bytes.length;
    }
    const all = new Uint8Array(length);
    let offset = 0;
    for (const bytes of parts) {
      all.set(bytes, offset);
      offset += bytes.length;
    }
    return this.decoder.decode(all);
  }

  /** The bytes token `id` stands for (a special token's are its text's UTF-8). Do not modify them. */
  tokenBytes(id: number): Uint8Array {
    const bytes = this.bytesById[id];
    if (bytes === undefined) {
      throw new Error(`tokenizer: id ${id} is outside this vocabulary (0–${this.vocabSize - 1}); the ids come from a model with a different tokenizer`);
    }
    return bytes;
  }

  /** Id of special token `token`, e.g. `idOf('<|end|>')`. */
  idOf(token: string): number {
    const id = this.specialIds.get(token);
    if (id === undefined) {
      throw new Error(`tokenizer: ${JSON.stringify(token)} is not a special token (this tokenizer has ${this.specialTokens.join(' ') || 'none'}); add it to specialTokens and retrain`);
    }
    return id;
  }

  /** Whether `id` is a special token. */
  isSpecial(id: number): boolean {
    return id >= BYTE_TOKENS && id < BYTE_TOKENS + this.specialTokens.length;
  }

  /** Readable text of one token, for debugging: partial UTF-8 is shown as `\xHH` escapes. */
  tokenText(id: number): string {
    return describeBytes(this.tokenBytes(id));
  }

  toJSON(): TokenizerJson {
    return {
      kind: 'rapport-byte-bpe',
      version: TOKENIZER_JSON_VERSION,
      vocabSize: this.vocabSize,
      specialTokens: [...this.specialTokens],
      merges: this.merges.map(([l, r]) => [l, r]),
    };
  }

  /** Loads what `toJSON()` produced (after a JSON round trip or not). */
  static fromJSON(json: unknown): Tokenizer {
    const parsed = TokenizerJson.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`tokenizer JSON: ${issue.path.join('.') || '(root)'}: ${issue.message}; expected the output of Tokenizer.toJSON() (version ${TOKENIZER_JSON_VERSION})`);
    }
    const { merges, specialTokens, vocabSize } = parsed.data;
    const tokenizer = new Tokenizer(merges, specialTokens);
    if (tokenizer.vocabSize !== vocabSize) {
      throw new Error(`tokenizer JSON: vocabSize is ${vocabSize} but 256 bytes + ${specialTokens.length} special tokens + ${merges.length} merges make ${tokenizer.vocabSize}; the file is corrupt`);
    }
    return tokenizer;
  }

  private encodeOrdinary(text: string, out: number[]): void {
    for (const word of words(text)) {
      for (const id of this.encoder.encodeWord(word)) out.push(id);
    }
  }
}
