/**
 * The throughput ceiling: a bare graphql-yoga server with backupql's schema that answers each
 * operation with the gateway's recorded response from memory (parse and validate as yoga does,
 * then no execution at all). A gateway built on yoga cannot beat it on the same machine.
 *
 * `tsx bench/support/ceiling.ts RECORDED.json`: the file maps `[query, variables]` (as JSON) to the
 * response. Prints the URL, then serves until stopped.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';
import { buildSchema } from '../../src/graphql/schema.js';
import { recordingKey } from './recording.js';

const recorded = new Map(Object.entries(JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, ExecutionResult>));

const fromMemory: Plugin<{ params: { query?: string; variables?: Record<string, unknown> } }> = {
  onExecute({ args, setResultAndStopExecution }) {
    const { params } = args.contextValue;
    const answer = recorded.get(recordingKey(params.query ?? '', params.variables));
    setResultAndStopExecution(answer ?? { errors: [{ message: 'not recorded' }] });
  },
};

const yoga = createYoga({ schema: buildSchema(), graphqlEndpoint: '/graphql', logging: false, landingPage: false, graphiql: false, plugins: [fromMemory] });
// eslint-disable-next-line @typescript-eslint/no-misused-promises -- yoga's listener returns a promise node ignores, as yoga documents
const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
