/**
 * The processes a benchmark measures: the simulated fleet in one child process, the gateway (the
 * compiled `dist/main.js --config`, as `npm start` runs it; `npm run build` first) in another, so
 * the gateway's memory and CPU are its own; the benchmark itself is the clients.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface Running {
  child: ChildProcess;
  stop(): Promise<void>;
}

const TSX = ['--import', 'tsx'];

/** Starts a Node.js child (`args`: node's own flags and the script) and resolves with the first stdout line `match` accepts. */
export function startNode(args: string[], env: NodeJS.ProcessEnv, match: (line: string) => string | undefined): Promise<{ running: Running; value: string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start in 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    lines.on('line', (line) => {
      const value = match(line);
      if (value === undefined) return;
      clearTimeout(timer);
      resolve({
        value,
        running: {
          child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        },
      });
    });
  });
}

/** What the fleet child prints: the gateway configuration for it, the instant its fleet was generated at, and each simulator's URL. */
export interface FleetLine {
  config: Record<string, unknown>;
  now: number;
  simulators: string[];
}

/** The simulated fleet in a child (`args`: the simulator CLI's flags). */
export async function startFleet(simulatorArgs: string[] = []): Promise<FleetLine & { stop(): Promise<void> }> {
  const sims = await startNode([...TSX, 'bench/support/fleet.ts', ...simulatorArgs], {}, (line) => (line.startsWith('{') ? line : undefined));
  return { ...(JSON.parse(sims.value) as FleetLine), stop: () => sims.running.stop() };
}

export interface GatewayProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * A gateway for `config` in a child: the compiled build (`runtime: 'node'`, the default, as `npm
 * start`) or the TypeScript through tsx (`'tsx'`, as `npm run dev`); `nodeFlags` such as --cpu-prof;
 * `root`: the checkout whose build runs (default: this one).
 */
export async function startGateway(
  config: Record<string, unknown>,
  options: { runtime?: 'node' | 'tsx'; nodeFlags?: string[]; heapMb?: number; root?: string } = {},
): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'backupql-bench-'));
  const file = join(dir, 'config.yaml');
  // YAML is a superset of JSON.
  writeFileSync(file, JSON.stringify(config));
  // As `npm start` and `npm run dev` run it (package.json): the compiled build with its heap limit, or tsx.
  const root = options.root ?? '.';
  const script =
    options.runtime === 'tsx' ? [...TSX, join(root, 'src/main.ts')] : [`--max-old-space-size=${options.heapMb ?? 256}`, join(root, 'dist/main.js')];
  const gateway = await startNode(
    [...(options.nodeFlags ?? []), ...script, '--config', file],
    { PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' },
    (line) => /(http:\/\/\S+\/graphql)/.exec(line)?.[1],
  );
  return { url: gateway.value, pid: gateway.running.child.pid!, stop: () => gateway.running.stop() };
}

/** The simulated fleet (`args`: the simulator CLI's flags) and the gateway configured for it. */
export async function startFleetAndGateway(
  options: { simulatorArgs?: string[]; configure?: (config: Record<string, unknown>) => Record<string, unknown> } = {},
) {
  const sims = await startFleet(options.simulatorArgs);
  const gateway = await startGateway(options.configure ? options.configure(sims.config) : sims.config);
  return {
    url: gateway.url,
    gatewayPid: gateway.pid,
    async stop() {
      await gateway.stop();
      await sims.stop();
    },
  };
}

/** Resident set size of a process, bytes (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}

/** CPU time (user + system) a process has used, seconds (Linux). */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
