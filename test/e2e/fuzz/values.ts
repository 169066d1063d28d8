// Plausible argument values for any operation of the schema: every ID comes from a caller's
// source (the victim's objects), scalars get valid samples chosen by name, enums a seeded pick.
import type { Prng } from './prng.js';
import { isRequired, named, type InputValue, type Operation, type SchemaInfo, type TypeRef } from './schema.js';

export interface IdSlot {
  /** the root field, e.g. `approveStory` */
  op: string;
  /** argument and input-field names from the root, e.g. ['input', 'sourceSectionId'] */
  path: string[];
  /** a top-level argument (not inside an input object or a list) */
  topLevel: boolean;
}

export type IdSource = (slot: IdSlot) => string;

const tomorrow = (): string => new Date(Date.now() + 86_400_000).toISOString();

export function sampleString(name: string): string {
  const n = name.toLowerCase();
  if (n.includes('url')) return 'https://example.com/fuzz';
  if (n === 'validuntil') return '2030-12-31';
  if (n === 'host') return 'fuzz.example.com';
  if (n === 'slug' || n.endsWith('slug')) return 'fuzz';
  if (n === 'login') return 'fuzz-nobody';
  if (n === 'password') return 'Wrong-passw0rd';
  if (n === 'pattern') return '测试用语';
  if (n === 'kind') return 'take_up';
  if (n === 'tag') return '测试';
  if (n === 'after') return 'WyIyMDI2LTAxLTAxIiwiMCJd';
  if (n.includes('color') || ['primary', 'accent', 'background', 'text', 'headertext'].includes(n)) return '#123456';
  return '测试内容';
}

function sampleInt(name: string): number {
  const n = name.toLowerCase();
  if (n === 'first' || n === 'count') return 5;
  if (n === 'offset' || n === 'position') return 0;
  return 1;
}

function sampleJson(name: string): unknown {
  if (name === 'body') return [{ type: 'paragraph', text: '测试正文。' }];
  return {};
}

export interface ValueOptions {
  rnd: Prng;
  ids: IdSource;
  /** chance to fill an optional non-ID argument or input field */
  optional?: number;
  /** fill optional ID arguments and input fields always (the default), or like other optional ones */
  optionalIds?: boolean;
}

function value(schema: SchemaInfo, t: TypeRef, slot: IdSlot, name: string, o: ValueOptions): unknown {
  if (t.kind === 'NON_NULL') return value(schema, t.ofType!, slot, name, o);
  if (t.kind === 'LIST') return [value(schema, t.ofType!, { ...slot, topLevel: false }, name, o)];
  const type = schema.types.get(t.name!);
  switch (t.kind) {
    case 'ENUM':
      return o.rnd.pick(type?.enumValues ?? [{ name: 'X' }]).name;
    case 'INPUT_OBJECT': {
      const out: Record<string, unknown> = {};
      for (const f of type?.inputFields ?? []) {
        const v = fieldValue(schema, f, { op: slot.op, path: [...slot.path, f.name], topLevel: false }, o);
        if (v !== undefined) out[f.name] = v;
      }
      return out;
    }
    default:
      switch (t.name) {
        case 'ID':
          return o.ids(slot);
        case 'String':
          return sampleString(name);
        case 'Int':
          return sampleInt(name);
        case 'Float':
          return 1.5;
        case 'Boolean':
          return o.rnd.chance(0.5);
        case 'DateTime':
          return tomorrow();
        case 'Date':
          return tomorrow().slice(0, 10);
        case 'JSON':
          return sampleJson(name);
        default:
          return sampleString(name);
      }
  }
}

function fieldValue(schema: SchemaInfo, f: InputValue, slot: IdSlot, o: ValueOptions): unknown {
  const isId = named(f.type).name === 'ID';
  if (!isRequired(f.type) && !(isId && (o.optionalIds ?? true)) && !o.rnd.chance(o.optional ?? 0.5)) return undefined;
  return value(schema, f.type, slot, f.name, o);
}

/** Arguments for one call: every required one, every ID, and some optional ones. */
export function argsFor(schema: SchemaInfo, op: Operation, o: ValueOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of op.field.args) {
    const v = fieldValue(schema, a, { op: op.field.name, path: [a.name], topLevel: true }, o);
    if (v !== undefined) out[a.name] = v;
  }
  return out;
}

/** Every ID slot an operation has (to know whether it depends on a victim at all). */
export function idSlots(schema: SchemaInfo, op: Operation): IdSlot[] {
  const slots: IdSlot[] = [];
  const walk = (t: TypeRef, slot: IdSlot, seen: Set<string>): void => {
    const n = named(t);
    if (n.name === 'ID') slots.push(slot);
    else if (n.kind === 'INPUT_OBJECT' && !seen.has(n.name!)) {
      const next = new Set(seen).add(n.name!);
      for (const f of schema.types.get(n.name!)?.inputFields ?? [])
        walk(f.type, { op: slot.op, path: [...slot.path, f.name], topLevel: false }, next);
    }
  };
  for (const a of op.field.args)
    walk(
      a.type,
      {
        op: op.field.name,
        path: [a.name],
        topLevel: a.type.kind !== 'LIST' && !(a.type.kind === 'NON_NULL' && a.type.ofType?.kind === 'LIST'),
      },
      new Set(),
    );
  return slots;
}
