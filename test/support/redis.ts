/**
 * A real Redis for tests: Debian's `redis-server` (CI installs the package) on a free loopback
 * port, nothing persisted, in a temporary directory. It can be stopped, paused (SIGSTOP: connected
 * but silent) and restarted on the same port, to test what the gateway does while it is away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export interface TestRedis {
  port: number;
  /** `redis://[:password@]127.0.0.1:<port>`. */
  url: string;
  /** Whether the server is up (started, not stopped). */
  readonly running: boolean;
  /** Kills the server (SIGKILL: no goodbye to the clients, as in a crash) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty) and waits until it answers. */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: the connections stay open, nothing is answered. */
  pause(): void;
  resume(): void;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

export async function startRedis(options: { password?: string } = {}): Promise<TestRedis> {
  if (!existsSync(REDIS_SERVER))
    throw new Error(`${REDIS_SERVER} is missing: the Redis tests need a real redis-server (Debian: apt-get install redis-server; CI installs it)`);
  const dir = await mkdtemp(join(tmpdir(), 'backupql-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let watchdog: ChildProcess | undefined;
  const kill = () => {
    child?.kill('SIGKILL');
    watchdog?.kill('SIGKILL');
  };
  process.once('exit', kill);

  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', join(dir, 'redis.log')];
    if (options.password) args.push('--requirepass', options.password);
    // A real server on its own clock: the suite's second run moves this process's clock with
    // libfaketime (LD_PRELOAD), under which redis-server never answers; the gateway's "now" is the
    // injected clock either way, and Redis's TTLs are Redis's own.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME') && !k.startsWith('DONT_FAKE')));
    const spawned = spawn(REDIS_SERVER, args, { stdio: 'ignore', env });
    child = spawned;
    // A test worker killed outright runs no exit handler: this kills the server (and removes its directory) when this process is gone.
    watchdog = spawn(
      'sh',
      ['-c', 'while kill -0 "$0" 2>/dev/null; do sleep 1; done; kill -9 "$1" 2>/dev/null; rm -rf "$2"', String(process.pid), String(spawned.pid), dir],
      {
        stdio: 'ignore',
        detached: true,
      },
    );
    watchdog.unref();
    const exited = new Promise<never>((_resolve, reject) =>
      spawned.once('exit', (code, signal) => reject(new Error(`redis-server exited at start (${signal ?? `code ${code}`}); see ${join(dir, 'redis.log')}`))),
    );
    exited.catch(() => undefined);
    const deadline = performance.now() + 10_000;
    for (;;) {
      if (await answersPing(port, options.password)) return;
      if (performance.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20))]);
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    watchdog?.kill('SIGKILL');
    watchdog = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGCONT');
    running.kill('SIGKILL');
    await gone;
  };

  await start();
  return {
    port,
    url: `redis://${options.password ? `:${encodeURIComponent(options.password)}@` : ''}127.0.0.1:${port}`,
    stop,
    get running() {
      return child !== undefined;
    },
    async restart() {
      await stop();
      await start();
    },
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    async close() {
      await stop();
      process.removeListener('exit', kill);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether a server on the port answers PING (after AUTH, with a password). */
function answersPing(port: number, password: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      if (reply.includes('+PONG\r\n')) done(true);
      else if (reply.startsWith('-')) done(false);
    });
    socket.once('connect', () => {
      const commands = password ? [['AUTH', password], ['PING']] : [['PING']];
      socket.write(commands.map(resp).join(''));
    });
  });
}

/** A command in RESP (any bytes in its arguments). */
function resp(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}
