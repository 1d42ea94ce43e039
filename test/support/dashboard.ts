/**
 * The dashboard's operations as it sends them: the documents of web/src/queries.ts, each with the
 * fragments it spreads (read from the file, so tests and benchmarks run what the page runs).
 */
import { readFileSync } from 'node:fs';

export function dashboardDocument(name: string): string {
  const blocks = [...readFileSync(new URL('../../web/src/queries.ts', import.meta.url), 'utf8').matchAll(/graphql\(`([^`]*)`\)/g)].map((m) => m[1]!);
  const operation = blocks.find((b) => new RegExp(`query ${name}\\b`).test(b));
  if (!operation) throw new Error(`web/src/queries.ts has no query ${name}`);
  const used = blocks.filter((b) => b.trim().startsWith('fragment') && operation.includes(`...${/fragment (\w+)/.exec(b)![1]!}`));
  return [operation, ...used].join('\n');
}
