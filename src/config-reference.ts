/**
 * The configuration reference, generated from the schema itself (`configSchema` in src/config.ts,
 * the sources' schemas from the provider modules): every key with its type, its default, whether
 * it is required, an example and its `.describe()` text. The example of a key is the one given on
 * its schema (`.meta({ examples: [...] })`, JSON Schema `examples`), else its value in the worked
 * example at the end of the page, else its default. The schema is read through its JSON Schema (the input
 * side: what a file may hold) and walked generically, so a key added to the schema shows up here
 * with no change to this file. `npm run docs:config` writes docs/configuration.md from
 * `renderConfigurationDoc()`; test/docs/configuration.test.ts fails when that file is stale.
 */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { configSchema } from './config.js';

type JsonSchema = z.core.JSONSchema.JSONSchema;

interface Row {
  key: string;
  type: string;
  required: boolean;
  default: string;
  example: string;
  description: string;
}

interface Table {
  title: string;
  intro: string;
  rows: Row[];
  /** The variant each list or union of variants stands for in this table (`sources[]` → `provider: oceanbase`), by its key. */
  selects: ReadonlyMap<string, { discriminator: string; value: string }>;
}

/** A union of objects told apart by one property holding a constant (`provider: oceanbase`). */
interface Variants {
  discriminator: string;
  options: { value: string; schema: JsonSchema }[];
}

class ReferenceWalker {
  readonly tables: Table[] = [];
  private readonly expanding = new Set<string>();

  constructor(
    private readonly root: JsonSchema,
    /** The worked example, parsed: where keys without an example of their own take one from. */
    private readonly worked: unknown,
  ) {}

  run(): void {
    const root = this.normalize(this.root);
    const required = new Set(root.required ?? []);
    const topLevel: Table = { title: 'Top level', intro: '', rows: [], selects: new Map() };
    for (const [key, child] of Object.entries(root.properties ?? {})) {
      const schema = this.normalize(child);
      if (!this.hasChildren(schema)) {
        topLevel.rows.push(this.row(key, schema, required.has(key), topLevel));
        continue;
      }
      const table: Table = { title: `\`${key}\``, intro: '', rows: [], selects: new Map() };
      this.tables.push(table);
      this.walk(key, schema, required.has(key), table);
    }
    if (topLevel.rows.length > 0) this.tables.unshift(topLevel);
  }

  /** The row of `key`, then the rows (or tables) of what it holds. */
  private walk(key: string, schema: JsonSchema, required: boolean, table: Table): void {
    table.rows.push(this.row(key, schema, required, table));
    this.descend(key, schema, table);
  }

  private descend(key: string, schema: JsonSchema, table: Table): void {
    const ref = schema.$ref;
    if (ref !== undefined) {
      if (this.expanding.has(ref)) return; // a recursive schema: its keys are listed where it first appears
      this.expanding.add(ref);
    }
    try {
      this.properties(key, schema, table);
      const record = schema.additionalProperties;
      if (typeof record === 'object') this.walkNested(`${key}.<name>`, this.normalize(record), table);
      const items = schema.items;
      if (items !== undefined && !Array.isArray(items) && typeof items === 'object') this.walkNested(`${key}[]`, this.normalize(items), table);
      const variants = this.variants(schema);
      if (variants) this.variantTables(key, variants, table);
    } finally {
      if (ref !== undefined) this.expanding.delete(ref);
    }
  }

  /** The keys of an object, each on its own row. */
  private properties(key: string, schema: JsonSchema, table: Table): void {
    const required = new Set(schema.required ?? []);
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      this.walk(`${key}.${name}`, this.normalize(child), required.has(name), table);
    }
  }

  /** What a list item or a map value holds: its keys only (the container's row describes it). */
  private walkNested(key: string, schema: JsonSchema, table: Table): void {
    if (this.hasChildren(schema)) this.descend(key, schema, table);
  }

  /** One table per variant, every key of that variant in it. */
  private variantTables(key: string, variants: Variants, parent: Table): void {
    for (const option of variants.options) {
      const table: Table = {
        title: `\`${key}\` with \`${variants.discriminator}: ${option.value}\``,
        intro: `The keys of ${describeContainer(key)} whose \`${variants.discriminator}\` is \`${option.value}\`${parent.title === 'Top level' ? '' : ` (see ${parent.title})`}.`,
        rows: [],
        selects: new Map([...parent.selects, [key, { discriminator: variants.discriminator, value: option.value }]]),
      };
      this.tables.push(table);
      this.properties(key, option.schema, table);
    }
  }

  private row(key: string, schema: JsonSchema, required: boolean, table: Table): Row {
    const example = this.example(key, schema, table);
    return {
      key,
      type: this.typeOf(schema),
      required,
      default: 'default' in schema ? `\`${JSON.stringify(schema.default)}\`` : '—',
      example: example === undefined ? '—' : code(yamlInline(example.value)),
      description: (schema.description ?? '').replace(/\s+/g, ' ').trim(),
    };
  }

  /**
   * The example of a key: its schema's own, else its value in the worked example, else its default.
   * A key holding keys of its own (a section, a list of objects) has only the one its schema gives:
   * its keys have theirs on their own rows.
   */
  private example(key: string, schema: JsonSchema, table: Table): { value: unknown } | undefined {
    if (Array.isArray(schema.examples) && schema.examples.length > 0) return { value: schema.examples[0] };
    if (this.hasChildren(schema)) return undefined;
    const worked = this.workedValue(key, table);
    if (worked !== undefined) return worked;
    return 'default' in schema ? { value: schema.default } : undefined;
  }

  /**
   * The value at `key` in the worked example: `a.b` is `b` inside `a`, `a[]` the first item of the list
   * `a` (of the variant the table is about, if it is one), `a.<name>` the first value of the map `a`.
   */
  private workedValue(key: string, table: Table): { value: unknown } | undefined {
    let value: unknown = this.worked;
    let path = '';
    for (const part of key.split('.')) {
      path = path ? `${path}.${part}` : part;
      const name = part.endsWith('[]') ? part.slice(0, -2) : part;
      if (!isRecord(value)) return undefined;
      value = name === '<name>' ? Object.values(value)[0] : Object.hasOwn(value, name) ? value[name] : undefined;
      if (part.endsWith('[]')) {
        if (!Array.isArray(value)) return undefined;
        const select = table.selects.get(path);
        value = value.find((item) => select === undefined || (isRecord(item) && item[select.discriminator] === select.value));
      } else {
        const select = table.selects.get(path);
        if (select !== undefined && !(isRecord(value) && value[select.discriminator] === select.value)) return undefined;
      }
      if (value === undefined) return undefined;
    }
    return { value };
  }

  private hasChildren(schema: JsonSchema, seen: ReadonlySet<string> = new Set()): boolean {
    if (Object.keys(schema.properties ?? {}).length > 0 || this.variants(schema)) return true;
    if (schema.$ref !== undefined && seen.has(schema.$ref)) return false;
    const within = schema.$ref === undefined ? seen : new Set([...seen, schema.$ref]);
    const nested = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    const items = schema.items !== undefined && !Array.isArray(schema.items) && typeof schema.items === 'object' ? schema.items : undefined;
    return [nested, items].some((inner) => inner !== undefined && this.hasChildren(this.normalize(inner), within));
  }

  /**
   * The schema with `$ref`s resolved, `allOf` merged and a union with one non-null branch
   * reduced to that branch (`nullable` kept), the outer node's own keywords winning.
   */
  private normalize(input: JsonSchema | boolean): JsonSchema {
    if (typeof input === 'boolean') return input ? {} : { not: {} };
    let schema = input;
    const ref = schema.$ref;
    if (ref !== undefined && !this.expanding.has(ref)) {
      const { $ref: _ref, ...rest } = schema;
      schema = { ...this.normalize(this.resolve(ref)), ...rest, $ref: ref };
    }
    if (schema.allOf) {
      const { allOf, ...rest } = schema;
      const parts = allOf.map((part) => this.normalize(part));
      const merged: JsonSchema = {};
      for (const part of [...parts, rest]) {
        Object.assign(merged, part, { properties: { ...merged.properties, ...part.properties } });
        merged.required = [...new Set([...(merged.required ?? []), ...(part.required ?? [])])];
      }
      schema = merged;
    }
    const branches = schema.anyOf ?? schema.oneOf;
    if (branches) {
      const solid = branches.filter((b) => b.type !== 'null');
      if (solid.length === 1 && solid.length < branches.length) {
        const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = schema;
        schema = { ...this.normalize(solid[0]!), ...rest, nullable: true };
      } else if (solid.length === 1) {
        const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = schema;
        schema = { ...this.normalize(solid[0]!), ...rest };
      }
    }
    return schema;
  }

  private resolve(ref: string): JsonSchema {
    if (ref === '#') return this.root;
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
    const defs = match ? (this.root[match[1]!] as Record<string, JsonSchema> | undefined) : undefined;
    const found = match && defs ? defs[decodeURIComponent(match[2]!).replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    if (!found) throw new Error(`config reference: cannot resolve ${ref}`);
    return found;
  }

  private variants(schema: JsonSchema): Variants | undefined {
    const branches = (schema.anyOf ?? schema.oneOf)?.map((b) => this.normalize(b));
    if (!branches || branches.length < 2 || branches.some((b) => !b.properties)) return undefined;
    const first = branches[0]!.properties!;
    for (const name of Object.keys(first)) {
      const values = branches.map((b) => {
        const prop = b.properties![name];
        return prop !== undefined && typeof prop === 'object' && typeof prop.const === 'string' ? prop.const : undefined;
      });
      if (values.every((v) => v !== undefined) && new Set(values).size === values.length) {
        return { discriminator: name, options: branches.map((b, i) => ({ value: values[i]!, schema: b })) };
      }
    }
    return undefined;
  }

  private typeOf(schema: JsonSchema): string {
    const { head, constraints } = this.typeParts(schema);
    return [head, ...constraints].join(', ');
  }

  /** `list of string (at least 1 character)`: what a list or map holds, its own constraints in brackets. */
  private innerType(schema: JsonSchema): string {
    if (this.hasChildren(schema)) return 'objects';
    const { head, constraints } = this.typeParts(schema);
    return constraints.length === 0 ? head : `${head} (${constraints.join(', ')})`;
  }

  private typeParts(schema: JsonSchema): { head: string; constraints: string[] } {
    const { head, constraints } = this.baseType(schema);
    return { head: schema.nullable === true ? `${head} or null` : head, constraints: constraints.filter((c): c is string => c !== undefined) };
  }

  private baseType(schema: JsonSchema): { head: string; constraints: (string | undefined)[] } {
    const plain = (head: string) => ({ head, constraints: [] });
    if (schema.const !== undefined) return plain(`\`${JSON.stringify(schema.const)}\``);
    if (schema.enum) return plain(`one of ${schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`);
    const variants = this.variants(schema);
    if (variants) return plain(`object, by \`${variants.discriminator}\`: ${variants.options.map((o) => `\`${o.value}\``).join(', ')}`);
    const branches = schema.anyOf ?? schema.oneOf;
    if (branches) return plain(branches.map((b) => this.innerType(this.normalize(b))).join(' or '));
    const type = Array.isArray(schema.type) ? schema.type.join(' or ') : schema.type;
    switch (type) {
      case 'string':
        return {
          head: schema.format === 'uri' ? 'URL' : schema.format ? `string (${schema.format})` : 'string',
          constraints: [
            lengthRange(schema.minLength, schema.maxLength, 'character'),
            schema.pattern === undefined ? undefined : `matching \`${schema.pattern}\``,
          ],
        };
      case 'integer':
      case 'number':
        return { head: type, constraints: [numberRange(schema)] };
      case 'array': {
        const items = schema.items !== undefined && !Array.isArray(schema.items) ? this.normalize(schema.items) : {};
        const by = this.variants(items);
        return {
          head: `list of ${this.innerType(items)}`,
          constraints: [lengthRange(schema.minItems, schema.maxItems, 'item'), by ? `by \`${by.discriminator}\`` : undefined],
        };
      }
      case 'object': {
        const values = schema.additionalProperties;
        if (typeof values === 'object' && Object.keys(schema.properties ?? {}).length === 0)
          return plain(`map of names to ${this.innerType(this.normalize(values))}`);
        return plain('object');
      }
      case undefined:
        return plain('any');
      default:
        return plain(type);
    }
  }
}

function lengthRange(min: number | undefined, max: number | undefined, unit: string): string | undefined {
  const plural = (n: number) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (min !== undefined && min > 0 && max !== undefined) return min === max ? `exactly ${plural(max)}` : `${min}–${plural(max)}`;
  if (min !== undefined && min > 0) return `at least ${plural(min)}`;
  if (max !== undefined) return `at most ${plural(max)}`;
  return undefined;
}

/** `0–65535`, `> 0, ≤ 3660`; the safe-integer bounds `.int()` implies are left out. */
function numberRange(schema: JsonSchema): string | undefined {
  const bound = (n: number | boolean | undefined) => (typeof n === 'number' && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined);
  const [min, exclusiveMin, max, exclusiveMax] = [bound(schema.minimum), bound(schema.exclusiveMinimum), bound(schema.maximum), bound(schema.exclusiveMaximum)];
  if (min !== undefined && max !== undefined) return `${min}–${max}`;
  const low = exclusiveMin !== undefined ? `> ${exclusiveMin}` : min !== undefined ? `≥ ${min}` : undefined;
  const high = exclusiveMax !== undefined ? `< ${exclusiveMax}` : max !== undefined ? `≤ ${max}` : undefined;
  return [low, high].filter((p) => p !== undefined).join(', ') || undefined;
}

function describeContainer(key: string): string {
  return key.endsWith('[]') ? `each entry of \`${key.slice(0, -2)}\`` : `\`${key}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as YAML on one line: a string as it would be written after the key (`${OB_PASSWORD}`), quoted only where YAML needs it. */
function yamlInline(value: unknown): string {
  if (typeof value === 'string' && !/^\s|\s$|[\n\r\t]/.test(value) && parsesTo(value)) return value;
  return stringifyYaml(value, { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trim();
}

function parsesTo(text: string): boolean {
  try {
    return (parseYaml(`key: ${text}`) as { key?: unknown } | null)?.key === text;
  } catch {
    return false;
  }
}

/** Inline code, fenced with more backticks than the text holds in a row. */
function code(text: string): string {
  const fence = '`'.repeat(Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  return fence.length === 1 ? `\`${text}\`` : `${fence} ${text} ${fence}`;
}

function renderTable(table: Table): string {
  const lines = [`### ${table.title}`, ''];
  if (table.intro) lines.push(table.intro, '');
  lines.push('| Key | Type | Required | Default | Example | Description |', '| --- | --- | --- | --- | --- | --- |');
  for (const row of table.rows) {
    lines.push(
      `| \`${cell(row.key)}\` | ${cell(row.type)} | ${row.required ? 'yes' : 'no'} | ${cell(row.default)} | ${cell(row.example)} | ${cell(row.description)} |`,
    );
  }
  return lines.join('\n');
}

/**
 * The reference part of docs/configuration.md: one table per top-level section, one per source
 * provider. `schema` is the configuration schema unless a test passes another.
 */
export function renderConfigReference(schema: z.ZodType = configSchema): string {
  const walker = new ReferenceWalker(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), parseYaml(WORKED_EXAMPLE_YAML));
  walker.run();
  return [
    '## Reference',
    '',
    'Generated from the configuration schema (`npm run docs:config`). A key is written as its path: `cache.ttlSeconds` is `ttlSeconds` inside',
    '`cache`, and `sources[].retry.maxRetries` is `retry.maxRetries` inside each entry of `sources`. **Required** means required whenever the',
    'object holding the key is given; **Default** is the value taken when the key is left out (for a section, the whole section). **Example**',
    'is a value the key may take, as written in the file: the one given with the key, else its value in the [worked example](#worked-example),',
    'else its default (a section has none: its keys have theirs). Unknown keys are refused everywhere.',
    '',
    walker.tables.map(renderTable).join('\n\n'),
  ].join('\n');
}

const HEADER = [
  '# Configuration',
  '',
  '<!-- Generated by `npm run docs:config` (src/config-reference-cli.ts) from the configuration schema and src/config-reference.ts:',
  '     do not edit; test/docs/configuration.test.ts fails when this file is stale. -->',
  '',
  'backupql reads one YAML file, given as `npm start -- --config FILE` or `BACKUPQL_CONFIG=FILE npm start` (without one it starts in',
  'demo mode, over simulated upstreams). The file is validated at start; a bad one is refused with one line per problem, each naming',
  'the key at fault (`sources[1].projectId: must be a Huawei Cloud project ID …`), and secret values never appear in those lines.',
  'This page lists every key the file may hold ([Reference](#reference)) and ends with a [worked example](#worked-example).',
  '',
  '## `${VAR}`: values from the environment',
  '',
  'After the YAML is parsed, every `${NAME}` inside a string value, at any depth and in list items too, is replaced by the environment',
  'variable `NAME` (letters, digits and `_`, not starting with a digit). So:',
  '',
  '- Only values are substituted, never keys, and never the YAML text itself: a secret holding `:`, `#`, quotes or newlines is taken',
  '  as it is, and cannot change the structure of the file.',
  '- A value may mix text and variables: `url: http://${OB_HOST}:2886`.',
  '- A variable that is not set is an error naming the key and the variable (`sources[0].password: environment variable OB_PASSWORD',
  '  is not set`); one set to the empty string gives an empty string.',
  '- The result is always a string: a number or boolean key cannot be read from the environment (`port: ${PORT}` is refused as',
  '  `expected number`). The port has its own override: the `PORT` environment variable wins over `server.port`.',
  '- There is no default or escape syntax: `$NAME` and `${NAME:-default}` are left as written.',
  '',
  'A relative `server.persistedOperations.file` is read from beside the configuration file.',
  '',
].join('\n');

/** The YAML of the worked example; keys without an example of their own take theirs from it. */
const WORKED_EXAMPLE_YAML = [
  'server:',
  '  port: 4000',
  'sources:',
  '  # An OceanBase cluster, through the obshell agent of one of its OBServer nodes (obshell listens on 2886 by default).',
  '  - name: ob-prod',
  '    provider: oceanbase',
  '    url: http://10.0.0.1:2886',
  '    password: ${OB_PASSWORD} # the root@sys password',
  '  # A Huawei Cloud project in cn-north-4: its DCS (Redis) and RDS instances and their backups.',
  '  - name: hw-cn-north-4',
  '    provider: huaweicloud',
  '    projectId: 0123456789abcdef0123456789abcdef # your project ID for cn-north-4',
  '    region: cn-north-4',
  '    dcsEndpoint: https://dcs.cn-north-4.myhuaweicloud.com',
  '    rdsEndpoint: https://rds.cn-north-4.myhuaweicloud.com',
  '    credentials:',
  '      accessKey: ${HW_ACCESS_KEY}',
  '      secretKey: ${HW_SECRET_KEY}',
].join('\n');

const WORKED_EXAMPLE = [
  '## Worked example',
  '',
  'One OceanBase cluster and one Huawei Cloud project, with every secret from the environment (`OB_PASSWORD`, `HW_ACCESS_KEY`,',
  '`HW_SECRET_KEY`). test/docs/configuration.test.ts loads this example with the real configuration loader.',
  '',
  '```yaml',
  WORKED_EXAMPLE_YAML,
  '```',
  '',
  '**OceanBase.** obshell runs beside each OBServer node and listens on port 2886 by default; `url` is the agent of any one node of',
  'the cluster, reachable from backupql. obshell authenticates each request with the root@sys password of the cluster, so `password` is that',
  'password (leave it out only if root@sys has none). An agent set up with an agent password of its own takes `agentPassword` instead.',
  '',
  '**Huawei Cloud.** The source reads one project in one region. Create an IAM user with programmatic access (an access key: AK/SK), put',
  'it in a user group granted the system policies **DCS ReadOnlyAccess** and **RDS ReadOnlyAccess** on the cn-north-4 project: backupql',
  'only lists instances and their backups (GET requests), so read-only access is enough, and it never needs to create, change or',
  'restore anything. The project ID is on the *My Credentials → API Credentials* page of the IAM console, in the row of cn-north-4',
  '(32 lower-case hex characters; the one above is a placeholder). `dcsEndpoint` and `rdsEndpoint` are shown for clarity: left out, they are',
  'derived from `region` and come out the same. Instead of AK/SK, `credentials` may hold an IAM `token`, or temporary AK/SK with their',
  '`securityToken`.',
  '',
].join('\n');

/** The whole of docs/configuration.md: the header, the generated reference, the worked example. */
export function renderConfigurationDoc(): string {
  return `${HEADER}\n${renderConfigReference()}\n\n${WORKED_EXAMPLE}`;
}
