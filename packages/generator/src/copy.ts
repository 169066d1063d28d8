import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * COPY … FROM STDIN in PostgreSQL's text format: one line per row, tab between
 * fields, \N for NULL, backslash escapes for backslash, tab, newline and CR.
 * Rows are produced lazily and sent in ~256 KB pieces, so memory stays flat
 * whatever the row count and PostgreSQL parses while JavaScript generates.
 */
export type Cell = string | number | boolean | Date | null | undefined | readonly string[] | { json: unknown };

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const NEEDS_ESCAPE = /[\\\t\n\r]/g;

function escapeText(s: string): string {
  return s.replace(NEEDS_ESCAPE, (c) => ESCAPES[c]!);
}

/** An array literal, every element quoted (safe for text and uuid arrays). */
export function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((x) => `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

export function cell(v: Cell): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return escapeText(v);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return escapeText(arrayLiteral(v as readonly string[]));
  return escapeText(JSON.stringify((v as { json: unknown }).json));
}

export function line(cells: readonly Cell[]): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) out += (i ? '\t' : '') + cell(cells[i]);
  return out + '\n';
}

function* batched(rows: Iterable<readonly Cell[]>, target = 256 * 1024): Generator<string> {
  let buf = '';
  for (const r of rows) {
    buf += line(r);
    if (buf.length >= target) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/** COPY rows into table(columns) on this client (inside the caller's transaction); returns the row count. */
export async function copyRows(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly Cell[]>,
): Promise<number> {
  let count = 0;
  const counted = function* (): Generator<readonly Cell[]> {
    for (const r of rows) {
      count++;
      yield r;
    }
  };
  const target = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(batched(counted())), target);
  return count;
}

/** COPY text already in the format (from a worker thread), sent in ~256 KB pieces. */
export async function copyText(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  text: string,
): Promise<void> {
  const piece = 256 * 1024;
  function* pieces(): Generator<string> {
    for (let i = 0; i < text.length; i += piece) yield text.slice(i, i + piece);
  }
  const target = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(pieces()), target);
}
