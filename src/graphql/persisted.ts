/**
 * Persisted operations: a file of sha256 → document (the format of graphql-codegen's persisted
 * documents), served by yoga's persisted-operations plugin. A client sends the hash, as Apollo's
 * APQ (`extensions.persistedQuery.sha256Hash`) or as `documentId`; a document sent in full whose
 * sha256 is in the file is accepted too (the file is also an allowlist). With `only`, nothing else runs.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { z } from 'zod';

const HASH = /^(?:sha256:)?([0-9a-fA-F]{64})$/;

/** Reads and checks the file: every key a sha256, every value the document that hashes to it. */
export function loadPersistedOperations(file: string): Map<string, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`persisted operations ${file}: ${(err as NodeJS.ErrnoException).code ?? 'not JSON'}`, { cause: err });
  }
  const parsed = z.record(z.string(), z.string().min(1)).safeParse(raw);
  if (!parsed.success) throw new Error(`persisted operations ${file}: must be a JSON object of "<sha256>": "<document>"`);
  const operations = new Map<string, string>();
  for (const [key, document] of Object.entries(parsed.data)) {
    const hash = HASH.exec(key)?.[1]?.toLowerCase();
    if (!hash) throw new Error(`persisted operations ${file}: "${key.slice(0, 80)}" is not a sha256`);
    if (sha256(document) !== hash) throw new Error(`persisted operations ${file}: the document of ${hash} does not hash to it`);
    operations.set(hash, document);
  }
  return operations;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function persistedId(params: GraphQLParams): string | null {
  const extensions = params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined;
  const apq = extensions?.persistedQuery;
  if (apq && apq.version === 1 && typeof apq.sha256Hash === 'string') return apq.sha256Hash.toLowerCase();
  const documentId = (params as { documentId?: unknown }).documentId;
  if (typeof documentId === 'string') return HASH.exec(documentId)?.[1]?.toLowerCase() ?? documentId;
  return null;
}

export function usePersisted(operations: ReadonlyMap<string, string>, only: boolean): Plugin[] {
  return [
    {
      // A full document that is in the file runs as its persisted self (so `only` lets it through).
      onParams({ params, setParams }) {
        if (typeof params.query !== 'string' || persistedId(params) !== null) return;
        const hash = sha256(params.query);
        if (!operations.has(hash)) return;
        const { query: _query, ...rest } = params;
        setParams({ ...rest, extensions: { ...params.extensions, persistedQuery: { version: 1, sha256Hash: hash } } });
      },
    },
    usePersistedOperations({
      getPersistedOperation: (key) => operations.get(key.toLowerCase()) ?? null,
      allowArbitraryOperations: !only,
      extractPersistedOperationId: persistedId,
      customErrors: {
        notFound: { message: 'No persisted operation has this hash.', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } } },
        persistedQueryOnly: {
          message: 'This gateway runs only persisted operations: send the sha256 of an allowlisted document (extensions.persistedQuery or documentId).',
          extensions: { code: 'FORBIDDEN', http: { status: 403 } },
        },
        keyNotFound: { message: 'Send a query, or the sha256 of a persisted operation.', extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
      },
    }),
  ];
}
