/**
 * CSV for spreadsheets used in Chinese offices: UTF-8 with a byte-order mark (Excel otherwise
 * reads it as GBK), CRLF line ends, every field quoted when needed, and cells that a spreadsheet
 * would run as a formula (= + - @ at the start) prefixed with an apostrophe.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = v instanceof Date ? v.toISOString() : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  const lines = [header.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
