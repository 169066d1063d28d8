// The console's GraphQL operations, read from its source without running it: the list the API
// answers in persisted-queries-only mode (GRAPHQL_PERSISTED_ONLY, docs/SECURITY.md).
//
// Every operation in src/web is a string or template literal that starts with `query`, `mutation`
// or `subscription`; field lists are shared through constants (`${PLACEMENT_FIELDS}`), also across
// modules. Those are evaluated here from their declarations (const of a literal, a template of
// such, imports between the web modules). A literal that looks like an operation but cannot be
// evaluated statically fails the extraction, so the console can never send an operation that the
// manifest lacks. The manifest is keyed by the SHA-256 of the exact text the browser sends.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface Operation {
  /** SHA-256 (hex) of `text` */
  hash: string;
  text: string;
  /** where it is written: `pages/Syndication.tsx:27` */
  at: string;
}

export interface OperationManifest {
  version: 1;
  /** hash → operation text, sorted by hash */
  operations: Record<string, string>;
}

const OPERATION_START = /^\s*(query|mutation|subscription)\b/;

export const operationHash = (text: string): string => createHash('sha256').update(text).digest('hex');

interface Module {
  file: string;
  source: ts.SourceFile;
  consts: Map<string, ts.Expression>;
  /** local name → [module file, exported name] */
  imports: Map<string, [string, string]>;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `./StoryEditor.js` from `pages/Syndication.tsx` → the .tsx or .ts file beside it. */
function resolveImport(from: string, spec: string, known: Set<string>): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec).replace(/\.js$/, '');
  return [`${base}.tsx`, `${base}.ts`].find((f) => known.has(f));
}

function readModule(file: string, known: Set<string>): Module {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const consts = new Map<string, ts.Expression>();
  const imports = new Map<string, [string, string]>();
  for (const stmt of source.statements) {
    if (ts.isVariableStatement(stmt) && stmt.declarationList.flags & ts.NodeFlags.Const) {
      for (const d of stmt.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.initializer) consts.set(d.name.text, d.initializer);
    }
    if (ts.isImportDeclaration(stmt) && ts.isStringLiteral(stmt.moduleSpecifier)) {
      const target = resolveImport(file, stmt.moduleSpecifier.text, known);
      const named = stmt.importClause?.namedBindings;
      if (target && named && ts.isNamedImports(named)) {
        for (const el of named.elements) imports.set(el.name.text, [target, (el.propertyName ?? el.name).text]);
      }
    }
  }
  return { file, source, consts, imports };
}

/** The string value of an expression made of literals and constants, or undefined. */
function evaluate(
  expr: ts.Expression,
  mod: Module,
  modules: Map<string, Module>,
  seen = new Set<string>(),
): string | undefined {
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return expr.text;
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr))
    return evaluate(expr.expression, mod, modules, seen);
  if (ts.isTemplateExpression(expr)) {
    let out = expr.head.text;
    for (const span of expr.templateSpans) {
      const v = evaluate(span.expression, mod, modules, seen);
      if (v === undefined) return undefined;
      out += v + span.literal.text;
    }
    return out;
  }
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = evaluate(expr.left, mod, modules, seen);
    const r = l === undefined ? undefined : evaluate(expr.right, mod, modules, seen);
    return l === undefined || r === undefined ? undefined : l + r;
  }
  if (ts.isIdentifier(expr)) {
    const key = `${mod.file}#${expr.text}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    const local = mod.consts.get(expr.text);
    const imported = mod.imports.get(expr.text);
    const target = local ? mod : imported && modules.get(imported[0]);
    const init = local ?? target?.consts.get(imported![1]);
    const value = target && init ? evaluate(init, target, modules, seen) : undefined;
    // `seen` guards against cycles along one path; the same constant may appear twice in a template
    seen.delete(key);
    return value;
  }
  return undefined;
}

/** The head of a literal, enough to tell an operation before evaluating it. */
function literalHead(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text;
  return undefined;
}

/** Every operation written in the console's web sources (`webRoot`), in source order. */
export function extractOperations(webRoot: string): Operation[] {
  const files = sourceFiles(webRoot);
  const known = new Set(files);
  const modules = new Map(files.map((f) => [f, readModule(f, known)] as const));
  const found: Operation[] = [];
  const problems: string[] = [];
  for (const mod of modules.values()) {
    const visit = (node: ts.Node): void => {
      const head = literalHead(node);
      // a literal inside a template's span belongs to the template around it
      if (head !== undefined && OPERATION_START.test(head)) {
        const { line } = mod.source.getLineAndCharacterOfPosition(node.getStart());
        const at = `${relative(webRoot, mod.file)}:${line + 1}`;
        const text = evaluate(node as ts.Expression, mod, modules);
        if (text === undefined) problems.push(`${at}: the operation's text is not made of constants only`);
        else found.push({ hash: operationHash(text), text, at });
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(mod.source);
  }
  if (problems.length) throw new Error(`console operations cannot be listed:\n${problems.join('\n')}`);
  return found;
}

export function manifestOf(ops: Operation[]): OperationManifest {
  const operations: Record<string, string> = {};
  for (const op of [...ops].sort((a, b) => a.hash.localeCompare(b.hash))) operations[op.hash] = op.text;
  return { version: 1, operations };
}

/** Writes `operations.json` (the manifest) into `dir`; returns how many operations it holds. */
export function writeManifest(webRoot: string, dir: string): number {
  const manifest = manifestOf(extractOperations(webRoot));
  writeFileSync(join(dir, 'operations.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return Object.keys(manifest.operations).length;
}
