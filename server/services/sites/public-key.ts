import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A new site key: `pk_` + 24 base62 characters (~143 bits). Bytes ≥ 248 are rejected so every
 * character is uniformly likely (248 = 4 × 62).
 */
export function generatePublicKey(length = 24): string {
  let out = 'pk_';
  while (out.length < 3 + length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < 3 + length) out += BASE62[byte % 62];
    }
  }
  return out;
}
