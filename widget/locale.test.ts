import { expect, test } from 'vitest';
import { DownReasons } from '../protocol/reasons.js';
import { locales, pickStrings } from './locale.js';

test('picks the site locale, then its language, then English', () => {
  expect(pickStrings('fr')).toBe(locales.fr);
  expect(pickStrings('fr-CA')).toBe(locales.fr);
  expect(pickStrings('FR_be')).toBe(locales.fr);
  expect(pickStrings('de')).toBe(locales.en);
  expect(pickStrings(undefined)).toBe(locales.en);
});

test('every locale translates every string', () => {
  const shape = (o: object): string[] =>
    Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? shape(v).map((s) => `${k}.${s}`) : [k]));
  for (const [name, table] of Object.entries(locales)) {
    expect(shape(table), name).toEqual(shape(locales.en));
    for (const [k, v] of Object.entries(table)) if (typeof v === 'string') expect(v.trim(), `${name}.${k}`).not.toBe('');
  }
});

test('every locale names every thumbs-down reason of the protocol', () => {
  for (const table of Object.values(locales)) expect(Object.keys(table.reasons).sort()).toEqual([...DownReasons].sort());
});
