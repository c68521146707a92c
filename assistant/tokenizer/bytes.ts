/**
 * UTF-8 helpers. Token ids 0–255 are the 256 byte values themselves, so any text can be encoded with
 * no unknown token. (GPT-2 maps bytes to printable characters so its merges can live in a text file;
 * we store merges as id pairs instead and need no such table.)
 */
export const BYTE_TOKENS = 256;

const encoder = new TextEncoder();

/**
 * UTF-8 bytes of `text`. JS strings may hold lone surrogates, which have no UTF-8 form; TextEncoder
 * turns each into U+FFFD (EF BF BD), so such strings do not round-trip: they come back with U+FFFD.
 */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * A non-fatal decoder (invalid bytes become U+FFFD) that keeps a leading U+FEFF: the default
 * `ignoreBOM: false` would silently drop it, breaking the round trip of text that starts with one.
 */
export function utf8Decoder(): TextDecoder {
  return new TextDecoder('utf-8', { ignoreBOM: true });
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Readable form of a token's bytes for debugging: the text when the bytes are valid UTF-8 on their
 * own, otherwise printable ASCII kept and every other byte written `\xHH` (e.g. half an emoji).
 */
export function describeBytes(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    let out = '';
    for (const b of bytes) {
      out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
  }
}
