import { KnowledgeInput } from '../../../protocol/admin.js';
import { ErrorCode } from '../../../protocol/errors.js';
import { AppError, badRequest } from '../../errors.js';
import { describeIssue } from '../../http/parse.js';
import { parseCsv } from './csv.js';

export type KnowledgeEntryInput = { question: string; answer: string; intent?: string };

type Format = 'json' | 'jsonl' | 'csv';

/** Column and key names accepted for each field: ours, then Bitext's (`instruction`, `response`). */
const ALIASES = { question: ['question', 'instruction'], answer: ['answer', 'response'], intent: ['intent'] } as const;

/**
 * Parses a knowledge upload: a JSON array, JSONL (one object a line) or CSV with a header row.
 * Objects may use `{question, answer, intent?}` or Bitext's `{instruction, response, intent}`; other
 * keys are ignored. Anything wrong → 400 naming the entry, line or row, before anything is stored.
 */
export function parseKnowledge(body: string, contentType: string): KnowledgeEntryInput[] {
  const text = body.replace(/^\uFEFF/, '');
  const format = detectFormat(text, contentType);
  const entries = format === 'json' ? fromJsonArray(text) : format === 'jsonl' ? fromJsonLines(text) : fromCsv(text);
  if (entries.length === 0) throw badRequest('the upload has no entries: send at least one question and answer');
  return entries;
}

function detectFormat(text: string, contentType: string): Format {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const first = text.trimStart()[0];
  if (type === 'application/x-ndjson' || type === 'application/jsonl' || type === 'application/x-jsonlines') return 'jsonl';
  if (type === 'text/csv') return 'csv';
  // JSON declared but one object a line: that is JSONL.
  if (type === 'application/json') return first === '{' ? 'jsonl' : 'json';
  if (type === '' || type === 'text/plain' || type === 'application/octet-stream') {
    return first === '[' ? 'json' : first === '{' ? 'jsonl' : 'csv';
  }
  throw new AppError(
    415,
    ErrorCode.unsupportedMediaType,
    `Content-Type ${type} is not a knowledge format: send application/json, application/x-ndjson or text/csv`,
  );
}

function toEntry(value: unknown, where: string): KnowledgeEntryInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest(`${where}: expected an object with "question" and "answer"`);
  }
  const obj = value as Record<string, unknown>;
  const pick = (names: readonly string[]) => names.map((k) => obj[k]).find((v) => v !== undefined && v !== null);
  const candidate = {
    question: pick(ALIASES.question),
    answer: pick(ALIASES.answer),
    intent: pick(ALIASES.intent) === '' ? undefined : pick(ALIASES.intent),
  };
  const result = KnowledgeInput.safeParse(candidate);
  if (!result.success) throw badRequest(`${where}: ${describeIssue(result.error)}`, ErrorCode.validation);
  const { question, answer, intent } = result.data;
  return intent === undefined ? { question, answer } : { question, answer, intent };
}

function fromJsonArray(text: string): KnowledgeEntryInput[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw badRequest(`the body is not valid JSON (${(err as Error).message}): send an array of {"question","answer"}`, ErrorCode.invalidJson);
  }
  if (!Array.isArray(data)) throw badRequest('expected a JSON array of {"question","answer"} objects');
  return data.map((item, i) => toEntry(item, `entry ${i + 1}`));
}

function fromJsonLines(text: string): KnowledgeEntryInput[] {
  const out: KnowledgeEntryInput[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw badRequest(`line ${i + 1}: not valid JSON: each line must be one {"question","answer"} object`, ErrorCode.invalidJson);
    }
    out.push(toEntry(value, `line ${i + 1}`));
  });
  return out;
}

function fromCsv(text: string): KnowledgeEntryInput[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const names = header.fields.map((h) => h.trim().toLowerCase());
  const column = (aliases: readonly string[]) => aliases.map((a) => names.indexOf(a)).find((i) => i >= 0) ?? -1;
  const q = column(ALIASES.question);
  const a = column(ALIASES.answer);
  const intent = column(ALIASES.intent);
  if (q < 0 || a < 0) {
    throw badRequest(`CSV line ${header.line}: the header must name the columns question,answer (optionally intent); found ${names.join(',')}`);
  }
  return rows.map((row) => {
    const where = `CSV line ${row.line}`;
    if (row.fields.length !== names.length) {
      throw badRequest(`${where}: ${row.fields.length} fields but the header has ${names.length}: quote fields that contain commas`);
    }
    return toEntry({ question: row.fields[q], answer: row.fields[a], intent: intent >= 0 ? row.fields[intent] : undefined }, where);
  });
}
