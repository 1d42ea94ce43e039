/** The `DateTime` scalar (contract §4). Its description is in `schema/common.graphql`. */
import { GraphQLError, Kind, type GraphQLScalarType, type ValueNode } from 'graphql';

/** RFC 3339 date-time with a zone: `Z` or a numeric offset; fractions of any length. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function parse(value: unknown): Date {
  if (typeof value !== 'string' || !RFC3339.test(value)) {
    throw new GraphQLError('DateTime must be an RFC 3339 date-time with a zone, e.g. 2024-10-12T10:08:08.723Z.', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  const date = new Date(value);
  const [, y, mo, d] = RFC3339.exec(value)!;
  // Date() rolls impossible days over (2024-02-30 → March 1st); refuse them instead.
  const local = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (Number.isNaN(date.getTime()) || local.getUTCDate() !== Number(d) || local.getUTCMonth() !== Number(mo) - 1) {
    throw new GraphQLError(`DateTime ${value} is not a valid date.`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return date;
}

/**
 * The scalar's behaviour, given to graphql-tools as a plain object so that it is merged into the
 * SDL's `scalar DateTime` and keeps the SDL's description (a `GraphQLScalarType` instance would
 * replace it). Typed as the scalar type codegen expects of a scalar resolver.
 */
export const DateTimeScalar = {
  serialize(value: unknown): string {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    throw new GraphQLError('DateTime cannot represent a value that is not a valid Date.');
  },
  parseValue: parse,
  parseLiteral(ast: ValueNode): Date {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('DateTime must be a string.', { nodes: [ast], extensions: { code: 'BAD_USER_INPUT' } });
    }
    return parse(ast.value);
  },
} as unknown as GraphQLScalarType<Date, string>;
