/**
 * OpenTelemetry tracing (the official API and SDK), off by default: one span per GraphQL operation
 * and, below it, one per upstream attempt (source, route, status; never a header, query string or
 * body, which may carry credentials), exported over OTLP/HTTP to the configured endpoint. The
 * tracer provider is the gateway's own, not a global: two gateways in one process never mix.
 */
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Kind, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../graphql/context.js';

export interface TracingSettings {
  enabled: boolean;
  /** OTLP/HTTP traces endpoint, e.g. http://otel-collector:4318/v1/traces. */
  endpoint?: string | undefined;
  serviceName: string;
}

export class Tracing {
  readonly tracer: Tracer;
  private readonly provider: BasicTracerProvider;

  /** `exporter`: for tests (an in-memory exporter, spans exported as they end); else OTLP/HTTP in batches. */
  constructor(settings: TracingSettings, exporter?: SpanExporter) {
    const processor = exporter
      ? new SimpleSpanProcessor(exporter)
      : new BatchSpanProcessor(new OTLPTraceExporter(settings.endpoint ? { url: settings.endpoint } : {}));
    this.provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': settings.serviceName }), spanProcessors: [processor] });
    this.tracer = this.provider.getTracer('backupql');
  }

  /** Sends what is buffered and stops. */
  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}

/** One span per operation; the operation's upstream spans are its children (through `op.span`). */
export function useTracing(tracer: Tracer): Plugin<GraphQLContext> {
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as GraphQLContext;
      const { document, operationName } = args as { document: DocumentNode; operationName?: string | null };
      let name = operationName ?? undefined;
      let type = 'query';
      for (const def of document.definitions) {
        if (def.kind !== Kind.OPERATION_DEFINITION || (name && def.name?.value !== name)) continue;
        name ??= def.name?.value;
        type = def.operation;
        break;
      }
      const span = tracer.startSpan(`${type} ${name ?? 'anonymous'}`, {
        kind: SpanKind.SERVER,
        attributes: { 'graphql.operation.name': name ?? 'anonymous', 'graphql.operation.type': type, 'backupql.request_id': ctx.op.requestId },
      });
      ctx.op.span = span;
      return {
        onExecuteDone({ result }) {
          const single = result as ExecutionResult;
          const errors = (single.errors?.length ?? 0) + ctx.partialErrors.length;
          span.setAttribute('backupql.upstream_calls', ctx.op.budget.spent);
          if (errors > 0) {
            span.setAttribute('backupql.errors', errors);
            span.setStatus({ code: SpanStatusCode.ERROR, message: single.data ? 'partial' : 'failed' });
          }
          span.end();
        },
      };
    },
  };
}
