import { badRequest } from '../../errors.js';

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts (records with quoted newlines span several lines). */
  line: number;
}

/**
 * RFC 4180 CSV: comma-separated, CRLF or LF line ends, fields optionally in double quotes with `""`
 * for a quote and newlines allowed inside quotes. Written by hand because no CSV package is a
 * dependency and the grammar is this small. Blank lines are skipped. Malformed quoting → 400 naming
 * the line.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
    fields = [];
    field = '';
  };
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && field === '') {
      // Quoted field: runs to the next quote not doubled.
      const start = line;
      i++;
      for (;;) {
        if (i >= n) throw badRequest(`CSV line ${start}: a quoted field is never closed: add the closing "`);
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw badRequest(`CSV line ${line}: text after a closing quote: quote the whole field and write "" for a quote inside it`);
      }
      if (next === undefined) break;
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || fields.length) endRecord();
  return records;
}
