import { decodeSpreadsheetText, parseCsv, type CsvRow } from './csv.js';
import { GovAccountError } from './errors.js';

/**
 * The registry as an Excel workbook (.xlsx), besides CSV: reading the first sheet of an uploaded
 * workbook into the same rows the CSV reader gives (so one import path checks both), and writing
 * the template and the export. read-excel-file and write-excel-file (small, maintained, on fflate)
 * do the zip and the XML. No SQL.
 */

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** An .xlsx workbook (a zip), by its first bytes. */
export const isXlsx = (bytes: Uint8Array): boolean => startsWith(bytes, ZIP);

/** A spreadsheet cell as the sheet's text: days as 2026-12-01 (with the time when it has one), numbers plainly. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    // Excel's dates carry no zone: read-excel-file gives them as UTC; they are Beijing wall-clock times
    const at = new Date(Math.round(v.getTime() / 1000) * 1000).toISOString();
    const day = at.slice(0, 10);
    const time = at.slice(11, 19);
    return time === '00:00:00' ? day : `${day} ${time.endsWith(':00') ? time.slice(0, 5) : time}`;
  }
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  return String(v);
}

/** The first sheet of an .xlsx workbook as rows of text (row numbers as Excel shows them). */
export async function readXlsxRows(bytes: Uint8Array): Promise<CsvRow[]> {
  // loaded on first use: the two libraries are ~250 modules every process importing core would
  // otherwise load for a screen few requests reach
  const { readSheet } = await import('read-excel-file/node');
  let data: unknown[][];
  try {
    data = await readSheet(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { trim: false });
  } catch {
    throw new GovAccountError('GOV_IMPORT_MALFORMED', '无法读取该 Excel 文件：文件已损坏或不是 .xlsx 格式');
  }
  const rows: CsvRow[] = [];
  data.forEach((r, i) => {
    const fields = r.map(cellText);
    // trailing empty cells are not fields (as in a CSV saved by Excel)
    while (fields.length > 0 && fields[fields.length - 1] === '') fields.pop();
    if (fields.length > 0) rows.push({ row: i + 1, fields });
  });
  return rows;
}

/**
 * A registry file's rows, whatever it is: an .xlsx workbook, or CSV in UTF-8 or GBK. An old binary
 * .xls workbook is refused with what to do instead.
 */
export async function readSheetFile(bytes: Uint8Array): Promise<CsvRow[]> {
  if (startsWith(bytes, OLE))
    throw new GovAccountError('GOV_IMPORT_MALFORMED', '不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后导入');
  if (isXlsx(bytes)) return readXlsxRows(bytes);
  return parseCsv(decodeSpreadsheetText(bytes));
}

/** A one-sheet workbook: the header in bold and frozen, then the rows as text. */
export async function writeXlsx(
  sheet: string,
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<Buffer> {
  const widths = header.map((h, i) =>
    Math.min(40, Math.max(8, h.length * 2 + 2, ...rows.slice(0, 200).map((r) => String(r[i] ?? '').length + 2))),
  );
  const { default: writeXlsxFile } = await import('write-excel-file/node');
  return writeXlsxFile(
    [
      header.map((h) => ({ value: h, fontWeight: 'bold' as const })),
      ...rows.map((r) =>
        r.map((v) => (v === '' || v === null || v === undefined ? null : typeof v === 'number' ? v : String(v))),
      ),
    ],
    { sheet, stickyRowsCount: 1, columns: widths.map((width) => ({ width })) },
  ).toBuffer();
}
