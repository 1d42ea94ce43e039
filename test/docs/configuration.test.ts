/**
 * docs/configuration.md cannot drift from the configuration schema: it is exactly what
 * `npm run docs:config` writes now, it names every key the schema accepts (found here by walking
 * the zod schema itself, not through the renderer), a key added to the schema shows up without any
 * change to the renderer, and its worked example is a configuration the real loader accepts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema, parseConfig } from '../../src/config.js';
import { renderConfigReference, renderConfigurationDoc } from '../../src/config-reference.js';
import { dcsEndpoint, rdsEndpoint, type HuaweiSourceConfig } from '../../src/providers/huawei/config.js';

const DOC = new URL('../../docs/configuration.md', import.meta.url);

/** What the zod classes hold inside (`_zod.def`), as far as this walk needs. */
interface Def {
  type: string;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  options?: z.core.$ZodType[];
  left?: z.core.$ZodType;
  right?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  getter?: () => z.core.$ZodType;
}

const defOf = (schema: z.core.$ZodType): Def => schema._zod.def;

/** The schema under its wrappers (optional, default, pipe/transform, lazy, …). */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  const def = defOf(schema);
  if (def.type === 'pipe' && def.in) return unwrap(def.in);
  if (def.type === 'lazy' && def.getter) return unwrap(def.getter());
  if (def.innerType) return unwrap(def.innerType);
  return schema;
}

/** Whether a schema holds keys of its own (an object, or a union or intersection of objects). */
function holdsKeys(schema: z.core.$ZodType): boolean {
  const def = defOf(unwrap(schema));
  if (def.type === 'object') return true;
  if (def.type === 'union') return (def.options ?? []).some(holdsKeys);
  if (def.type === 'intersection') return [def.left, def.right].some((s) => s !== undefined && holdsKeys(s));
  return false;
}

/** Every key that holds a value rather than more keys, as the doc writes it: `sources[].retry.maxRetries`. */
function leafKeys(schema: z.core.$ZodType, path = ''): string[] {
  const def = defOf(unwrap(schema));
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape ?? {}).flatMap(([key, child]) => {
        const childPath = path ? `${path}.${key}` : key;
        return holdsKeys(child) || isContainerOfKeys(child) ? leafKeys(child, childPath) : [childPath];
      });
    case 'union':
      return [...new Set((def.options ?? []).filter(holdsKeys).flatMap((option) => leafKeys(option, path)))];
    case 'intersection':
      return [def.left, def.right].flatMap((s) => (s !== undefined && holdsKeys(s) ? leafKeys(s, path) : []));
    case 'array':
      return def.element && holdsKeys(def.element) ? leafKeys(def.element, `${path}[]`) : [path];
    case 'record':
      return def.valueType && holdsKeys(def.valueType) ? leafKeys(def.valueType, `${path}.<name>`) : [path];
    default:
      return [path];
  }
}

/** A list or map of objects: its keys are listed under `key[]` / `key.<name>`. */
function isContainerOfKeys(schema: z.core.$ZodType): boolean {
  const def = defOf(unwrap(schema));
  if (def.type === 'array') return def.element !== undefined && holdsKeys(def.element);
  if (def.type === 'record') return def.valueType !== undefined && holdsKeys(def.valueType);
  return false;
}

/** The rows of the doc's reference tables, by key. */
function documentedKeys(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!));
}

interface ReferenceRow {
  table: string;
  key: string;
  cells: Record<string, string>;
}

/** Every row of every reference table, its cells by column name (`Key`, `Example`, …). */
function referenceRows(markdown: string): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  let table = '';
  let header: string[] = [];
  const split = (line: string) =>
    line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
  for (const line of markdown.split('\n')) {
    if (line.startsWith('### ')) [table, header] = [line.slice(4), []];
    else if (line.startsWith('| Key |')) header = split(line);
    else if (/^\| `/.test(line) && header.length > 0) {
      const cells = Object.fromEntries(split(line).map((c, i) => [header[i]!, c]));
      rows.push({ table, key: cells.Key!.slice(1, -1), cells });
    }
  }
  return rows;
}

const ENV = { OB_PASSWORD: 'example-root@sys-pw', HW_ACCESS_KEY: 'EXAMPLEACCESSKEY0001', HW_SECRET_KEY: 'exampleSecretKey/0001+xyz' };

function workedExample(markdown: string): string {
  const match = /^## Worked example\n[\s\S]*?^```yaml\n([\s\S]*?)^```$/m.exec(markdown);
  if (!match) throw new Error('docs/configuration.md has no ```yaml block under "## Worked example"');
  return match[1]!;
}

describe('docs/configuration.md', () => {
  const doc = readFileSync(DOC, 'utf8');

  it('is what `npm run docs:config` writes from the schema now', () => {
    expect(doc, 'docs/configuration.md is stale: run `npm run docs:config`').toBe(renderConfigurationDoc());
  });

  it('lists every leaf key of the schema, with the source keys under each provider', () => {
    const leaves = leafKeys(configSchema);
    // The walk is not vacuous: it reaches nested sections, every provider's keys and the credentials behind a transform.
    expect(leaves).toEqual(
      expect.arrayContaining([
        'server.port',
        'server.cors.origins',
        'cache.ttlSeconds',
        'auth.apiKeys[].role',
        'sources[].name',
        'sources[].retry.maxRetries',
        'sources[].url',
        'sources[].agentPassword',
        'sources[].projectId',
        'sources[].credentials.accessKey',
      ]),
    );
    const documented = documentedKeys(doc);
    expect(leaves.filter((key) => !documented.has(key))).toEqual([]);
    expect(doc).toMatch(/^### `sources\[\]` with `provider: oceanbase`$/m);
    expect(doc).toMatch(/^### `sources\[\]` with `provider: huaweicloud`$/m);
  });

  it('gives every leaf key an example: its own, else its value in the worked example, else its default', () => {
    const leaves = new Set(leafKeys(configSchema));
    const rows = referenceRows(doc).filter((row) => leaves.has(row.key));
    expect(new Set(rows.map((row) => row.key))).toEqual(leaves);
    const missing = rows.filter((row) => !/^`[^`]+`$/.test(row.cells.Example ?? '')).map((row) => `${row.table}: ${row.key}`);
    expect(missing).toEqual([]);
    const example = (key: string, table = '') => rows.find((row) => row.key === key && row.table.includes(table))?.cells.Example;
    expect(example('server.cors.origins')).toBe('`[https://ops.example.com]`'); // given with the key
    expect(example('server.port')).toBe('`4000`'); // from the worked example
    expect(example('sources[].name', 'provider: oceanbase')).toBe('`ob-prod`'); // the worked example's source of that provider
    expect(example('sources[].name', 'provider: huaweicloud')).toBe('`hw-cn-north-4`');
    expect(example('sources[].password', 'provider: oceanbase')).toBe('`${OB_PASSWORD}`');
    expect(example('fleet.callBudget')).toBe('`500`'); // the default
    // Secrets are placeholders from the environment, never values.
    const secrets = rows.filter((row) => /(password|secret|token|accessKey)$/i.test(row.key));
    expect(secrets.map((row) => row.key)).toEqual(expect.arrayContaining(['sources[].agentPassword', 'auth.jwt.secret', 'sources[].credentials.token']));
    expect(secrets.filter((row) => !/^`\$\{[A-Z_][A-Z0-9_]*\}`$/.test(row.cells.Example!)).map((row) => row.key)).toEqual([]);
  });

  it('documents a key added to the schema with no change to the renderer', () => {
    const extended = z.object({
      ...configSchema.shape,
      tracing: z
        .object({
          endpoint: z
            .url()
            .meta({ examples: ['http://collector:4318/v1/traces'] })
            .describe('Where spans are sent.'),
          sampleRatio: z.number().min(0).max(1).default(0.1).describe('The share of operations traced.'),
          headers: z.record(z.string(), z.string()).optional(),
        })
        .optional()
        .describe('OpenTelemetry tracing.'),
    });
    const reference = renderConfigReference(extended);
    expect(reference).toContain('| `tracing` | object | no | — | — | OpenTelemetry tracing. |');
    expect(reference).toContain('| `tracing.endpoint` | URL | yes | — | `http://collector:4318/v1/traces` | Where spans are sent. |');
    expect(reference).toContain('| `tracing.sampleRatio` | number, 0–1 | no | `0.1` | `0.1` | The share of operations traced. |');
    expect(reference).toContain('| `tracing.headers` | map of names to string | no | — | — |  |');
    const documented = documentedKeys(reference);
    expect(leafKeys(extended).filter((key) => !documented.has(key))).toEqual([]);
  });

  it('has a worked example that the configuration loader accepts, secrets from the environment', () => {
    const yaml = workedExample(doc);
    expect(yaml).not.toMatch(/S3cret|EXAMPLE/); // no literal secrets: every one is a ${VAR}
    const config = parseConfig(yaml, 'docs/configuration.md', ENV);
    const [ob, hw] = config.sources;
    expect(ob).toMatchObject({ provider: 'oceanbase', password: ENV.OB_PASSWORD });
    expect(new URL((ob as { url: string }).url).port).toBe('2886');
    expect(hw).toMatchObject({
      provider: 'huaweicloud',
      region: 'cn-north-4',
      dcsEndpoint: 'https://dcs.cn-north-4.myhuaweicloud.com',
      rdsEndpoint: 'https://rds.cn-north-4.myhuaweicloud.com',
      credentials: { accessKey: ENV.HW_ACCESS_KEY, secretKey: ENV.HW_SECRET_KEY },
    });
    // As the doc says: without the two endpoints, the ones derived from the region are the same.
    const derived = parseConfig(yaml.replace(/^ {4}(dcs|rds)Endpoint: .*\n/gm, ''), 'docs/configuration.md', ENV).sources[1] as HuaweiSourceConfig;
    expect(derived.dcsEndpoint).toBeUndefined();
    expect([dcsEndpoint(derived), rdsEndpoint(derived)]).toEqual([(hw as HuaweiSourceConfig).dcsEndpoint, (hw as HuaweiSourceConfig).rdsEndpoint]);
    // Every variable it names must be set: the loader refuses the example without them.
    expect(() => parseConfig(yaml, 'docs/configuration.md', {})).toThrow(/OB_PASSWORD/);
  });

  it('names the read-only IAM policies and the obshell port', () => {
    const example = doc.slice(doc.indexOf('## Worked example'));
    for (const text of ['DCS ReadOnlyAccess', 'RDS ReadOnlyAccess', '2886', '${OB_PASSWORD}', '${HW_ACCESS_KEY}', '${HW_SECRET_KEY}'])
      expect(example).toContain(text);
  });
});
