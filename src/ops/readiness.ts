/**
 * `/readiness`: whether each source answers and accepts its credentials, one cheap authenticated
 * read per source (bypassing the page cache), the report kept for a few seconds so that probes
 * never load the upstreams. A replica stays ready while any source answers: taking every replica
 * out of the load balancer because one upstream is down would take the answers for the others
 * down with it. It is 503 only when no source answers.
 */
import { performance } from 'node:perf_hooks';
import { UpstreamError } from '../core/errors.js';
import type { Fleet } from '../fleet/fleet.js';
import { redactSecrets } from '../lib/secrets.js';

export interface SourceReadiness {
  source: string;
  provider: string;
  ok: boolean;
  latencyMs: number;
  circuit: 'closed' | 'half-open' | 'open';
  /** Why not, when not: the error's code (UPSTREAM_UNAVAILABLE, UPSTREAM_AUTH_FAILED, …), HTTP status and message. */
  error?: { code: string; httpStatus?: number; message: string };
}

export interface ReadinessReport {
  status: 'ready' | 'degraded' | 'unavailable';
  /** When the sources were probed (the gateway's clock). */
  checkedAt: string;
  sources: SourceReadiness[];
}

export class Readiness {
  private last: { at: number; report: Promise<ReadinessReport> } | undefined;

  constructor(
    private readonly fleet: Fleet,
    private readonly settings: { cacheMs: number; timeoutMs: number },
  ) {}

  report(): Promise<ReadinessReport> {
    const now = performance.now();
    if (!this.last || now - this.last.at >= this.settings.cacheMs) this.last = { at: now, report: this.probe() };
    return this.last.report;
  }

  private async probe(): Promise<ReadinessReport> {
    const checkedAt = new Date(this.fleet.clock.now()).toISOString();
    const sources = await Promise.all(
      this.fleet.sources.map(async (runtime): Promise<SourceReadiness> => {
        const started = performance.now();
        const op = this.fleet.operation(AbortSignal.timeout(this.settings.timeoutMs), null);
        const base = { source: runtime.name, provider: runtime.config.provider };
        try {
          await runtime.probe(op);
          return { ...base, ok: true, latencyMs: Math.round(performance.now() - started), circuit: runtime.circuit() };
        } catch (error) {
          const detail =
            error instanceof UpstreamError
              ? { code: error.code, ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }), message: error.message }
              : { code: 'UPSTREAM_UNAVAILABLE', message: redactSecrets(error instanceof Error ? error.message : String(error)) };
          return { ...base, ok: false, latencyMs: Math.round(performance.now() - started), circuit: runtime.circuit(), error: detail };
        }
      }),
    );
    const up = sources.filter((s) => s.ok).length;
    return { status: up === sources.length ? 'ready' : up === 0 ? 'unavailable' : 'degraded', checkedAt, sources };
  }
}
