import { GovAccountError } from './errors.js';

/**
 * Reading the spreadsheets offices send: RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF,
 * a byte-order mark), in UTF-8 or in GB18030/GBK, which Excel on Chinese Windows writes by default.
 * Pure: no SQL, no I/O.
 */

/** The text of a file: UTF-8 when it is valid UTF-8, otherwise GB18030 (a superset of GBK). */
export function decodeSpreadsheetText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

export interface CsvRow {
  /** the record's number, blank ones counted: the row number a spreadsheet shows (the header is 1) */
  row: number;
  fields: string[];
}

/** Rows of fields; a quote left open or a stray quote inside a field makes the whole file malformed. */
export function parseCsv(input: string): CsvRow[] {
  const text = input.replace(/^\uFEFF/, '');
  const rows: CsvRow[] = [];
  let row: string[] = [];
  let record = 1;
  let field = '';
  let i = 0;
  let quoted = false;
  let line = 1;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push({ row: record++, fields: row });
    row = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n')
          throw new GovAccountError('GOV_IMPORT_MALFORMED', `第 ${line} 行：引号后面应是逗号或换行`);
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (field !== '')
        throw new GovAccountError(
          'GOV_IMPORT_MALFORMED',
          `第 ${line} 行：字段中间出现了引号，含引号的字段须整体用引号括起`,
        );
      quoted = true;
      i++;
    } else if (c === ',') {
      endField();
      i++;
    } else if (c === '\r' || c === '\n') {
      endRow();
      line++;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new GovAccountError('GOV_IMPORT_MALFORMED', `第 ${line} 行：引号没有闭合`);
  if (field !== '' || row.length > 0) endRow();
  // blank lines carry nothing
  return rows.filter((r) => r.fields.some((f) => f.trim() !== ''));
}
