import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DomainError, isDay } from '@yiduan/core';

export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (v) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString()),
  parseValue: (v) => {
    const d = new Date(String(v));
    if (typeof v !== 'string' || Number.isNaN(d.getTime())) throw new DomainError('BAD_USER_INPUT', '时间格式不正确');
    return d;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || Number.isNaN(new Date(ast.value).getTime()))
      throw new DomainError('BAD_USER_INPUT', '时间格式不正确');
    return new Date(ast.value);
  },
});

const dayError = (): DomainError => new DomainError('BAD_USER_INPUT', '日期格式应为 YYYY-MM-DD');

/**
 * A calendar day, 'YYYY-MM-DD' in and out. Resolvers hand over the day as text (read with
 * `::text` or computed as a CST day): a JS Date is refused, because which day it means depends
 * on the zone it is read in (the `pg` driver makes a `date` column local midnight).
 */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  serialize: (v) => {
    if (typeof v === 'string' && isDay(v)) return v;
    throw new GraphQLError(
      `Date cannot represent ${v instanceof Date ? 'a JavaScript Date (resolve it to YYYY-MM-DD)' : JSON.stringify(v)}`,
    );
  },
  parseValue: (v) => {
    if (typeof v !== 'string' || !isDay(v)) throw dayError();
    return v;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || !isDay(ast.value)) throw dayError();
    return ast.value;
  },
});

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(literal);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]));
    default:
      throw new DomainError('BAD_USER_INPUT', 'JSON 字面量中不能使用变量');
  }
}

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: literal,
});
