/** A GraphQL subscription over Server-Sent Events (graphql-yoga's built-in transport), read as a test reads it. */
import type { ExecutionResult } from 'graphql';

export interface SseSubscription<T> {
  /** Every `next` payload so far, in order. */
  readonly events: ExecutionResult<T>[];
  /** Resolves once `count` events arrived in all (or rejects after `timeoutMs` with what came). */
  until(count: number, timeoutMs?: number): Promise<ExecutionResult<T>[]>;
  /** Resolves once an event passes `test`. */
  waitFor(test: (event: ExecutionResult<T>) => boolean, timeoutMs?: number): Promise<ExecutionResult<T>>;
  /** Whether the server ended the stream (`complete`). */
  readonly ended: boolean;
  close(): void;
}

/** `fetchImpl`: `fetch` for a real server, or `yoga.fetch` in process. */
export async function subscribe<T = Record<string, unknown>>(
  fetchImpl: (url: string, init: RequestInit) => Promise<Response> | Response,
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<SseSubscription<T>> {
  const abort = new AbortController();
  const res = await fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  if (!res.body) throw new Error(`no event stream (HTTP ${res.status})`);
  const events: ExecutionResult<T>[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (event === 'next' && data) events.push(JSON.parse(data) as ExecutionResult<T>);
          if (event === 'complete') ended = true;
          notify();
        }
      }
    } catch {
      // closed by us
    }
    ended = true;
    notify();
  })();
  const wait = (done: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (done()) return resolve();
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`${what}: ${events.length} events came: ${JSON.stringify(events).slice(0, 2000)}`));
      }, timeoutMs);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
    });
  return {
    events,
    get ended() {
      return ended;
    },
    async until(count, timeoutMs = 10_000) {
      await wait(() => events.length >= count || ended, timeoutMs, `waiting for ${count} events`);
      return events;
    },
    async waitFor(test, timeoutMs = 10_000) {
      await wait(() => events.some(test), timeoutMs, 'waiting for an event');
      return events.find(test)!;
    },
    close: () => abort.abort(),
  };
}
