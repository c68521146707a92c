import { readFileSync } from 'node:fs';

/**
 * The string fields `fields` of every line of a JSONL file, in file order (e.g. the instructions and
 * responses of `data/bitext_cs_4514.jsonl`), as the documents to train or measure a tokenizer on.
 */
export function readJsonlTexts(path: string | URL, fields: readonly string[]): string[] {
  const texts: string[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new Error(`${path}:${index + 1}: not valid JSON; each line must be one JSON object`);
    }
    for (const field of fields) {
      const value = (row as Record<string, unknown>)[field];
      if (typeof value === 'string') texts.push(value);
    }
  });
  return texts;
}
