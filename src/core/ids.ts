/**
 * Global object IDs: opaque (base64url) strings naming the GraphQL type, the configured source
 * and the upstream's own keys (`Type:source:key1:key2`). The format is the core's; which types
 * exist and what their keys look like is each provider module's (`IdLayout`). Every part is
 * validated on the way in, so a decoded ID is safe to put into an upstream path; a malformed ID is
 * the caller's error (`BAD_USER_INPUT`).
 */
import { BadInputError } from './errors.js';

export interface IdPart {
  name: string;
  /** Whether a decoded value is acceptable (it goes into upstream paths). */
  check(value: string): boolean;
  /** Read back as a number. */
  numeric?: boolean;
}

/** The keys of one node type, after the source, in order. */
export interface IdLayout {
  type: string;
  parts: readonly IdPart[];
}

/** A decoded ID: the type, the source and the named keys. */
export interface NodeRef {
  type: string;
  source: string;
  keys: Readonly<Record<string, string | number>>;
}

const SOURCE = /^[a-z0-9-]{1,63}$/;

/** Encodes an ID. `keys` in the layout's order. */
export function encodeId(type: string, source: string, ...keys: readonly (string | number)[]): string {
  return Buffer.from([type, source, ...keys.map(String)].join(':'), 'utf8').toString('base64url');
}

/** A decimal counter as upstreams number things (job IDs, tenant IDs). */
export const COUNTER = (value: string) => /^(0|[1-9]\d{0,15})$/.test(value);

export class IdCodec {
  private readonly layouts = new Map<string, IdLayout>();

  constructor(layouts: readonly IdLayout[]) {
    for (const layout of layouts) {
      if (this.layouts.has(layout.type)) throw new Error(`two provider modules define the ID type ${layout.type}`);
      this.layouts.set(layout.type, layout);
    }
  }

  /** Encodes an ID from named keys, in the type's layout order. */
  encode(type: string, source: string, keys: Readonly<Record<string, string | number>>): string {
    const layout = this.layouts.get(type);
    if (!layout) throw new Error(`no ID layout for ${type}`);
    return encodeId(type, source, ...layout.parts.map((p) => keys[p.name] ?? ''));
  }

  /**
   * Decodes and validates an ID. `types` restricts which types are acceptable here (e.g. instance
   * IDs in a filter); anything else is a `BadInputError` naming `argumentName`.
   */
  decode(id: string, argumentName = 'id', types?: readonly string[]): NodeRef {
    const fail = (why = ''): never => {
      throw new BadInputError(`\`${argumentName}\` is not a valid ID${why}.`, argumentName);
    };
    if (typeof id !== 'string' || id.length === 0 || id.length > 512 || !/^[A-Za-z0-9_-]+$/.test(id)) fail();
    const [type, source, ...rest] = Buffer.from(id, 'base64url').toString('utf8').split(':');
    const layout = type === undefined ? undefined : this.layouts.get(type);
    if (!layout || !source || !SOURCE.test(source) || rest.length !== layout.parts.length) return fail();
    const keys: Record<string, string | number> = {};
    layout.parts.forEach((part, i) => {
      const value = rest[i]!;
      if (!part.check(value)) fail();
      keys[part.name] = part.numeric ? Number(value) : value;
    });
    // One ID per object: a non-canonical spelling of the same bytes is refused.
    if (encodeId(layout.type, source, ...layout.parts.map((p) => keys[p.name]!)) !== id) fail();
    if (types && !types.includes(layout.type)) fail(` of ${types.join(' or ')}`);
    return { type: layout.type, source, keys };
  }
}
