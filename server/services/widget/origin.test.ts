import { describe, expect, it } from 'vitest';
import { originAllowed } from './origin.js';

describe('originAllowed', () => {
  it('matches exact origins, case- and trailing-slash-insensitively', () => {
    expect(originAllowed(['https://shop.example'], 'https://shop.example')).toBe(true);
    expect(originAllowed(['https://Shop.example/'], 'https://shop.example')).toBe(true);
    expect(originAllowed(['https://shop.example'], 'http://shop.example')).toBe(false);
    expect(originAllowed(['https://shop.example'], 'https://shop.example.evil.com')).toBe(false);
    expect(originAllowed(['https://shop.example'], 'https://shop.example:8443')).toBe(false);
  });
  it('lets "*" allow anything, even no Origin; otherwise no Origin is refused', () => {
    expect(originAllowed(['*'], undefined)).toBe(true);
    expect(originAllowed(['https://shop.example'], undefined)).toBe(false);
    expect(originAllowed([], 'https://shop.example')).toBe(false);
  });
});
