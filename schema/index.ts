import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The GraphQL SDL, one file per context, concatenated in a stable order (common first). */
const dir = fileURLToPath(new URL('./', import.meta.url));

export function schemaFiles(): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.graphql'));
  return files.sort((a, b) => (a === 'common.graphql' ? -1 : b === 'common.graphql' ? 1 : a.localeCompare(b)));
}

export function loadSdl(): string {
  return schemaFiles()
    .map((f) => `# ---- ${f}\n${readFileSync(dir + f, 'utf8')}`)
    .join('\n');
}

export type * from './generated.js';
export type * from './mappers.js';
