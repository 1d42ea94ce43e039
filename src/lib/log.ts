/**
 * The process logger (pino, JSON lines on stdout). `LOG_LEVEL` sets the level (default `info`;
 * tests run `silent`). Secrets never reach it: errors carry none, and redaction guards any field
 * named like one.
 */
import { pino, type Logger } from 'pino';
import { redactDeep } from './secrets.js';

type Tap = (line: string) => void;
const taps = new Set<Tap>();

/** Every line goes to stdout, and to the taps (tests read what the gateway logs). */
const destination = {
  write(line: string): void {
    for (const tap of taps) tap(line);
    if (!tapping || process.env.LOG_LEVEL !== 'silent') process.stdout.write(line);
  },
};
let tapping = false;

export const log: Logger = pino(
  {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service: 'backupql' },
    // Whatever is logged, no secret the process holds is written (an upstream may echo one back).
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => redactDeep(arg)) as Parameters<typeof method>);
      },
    },
    redact: {
      paths: [
        'password',
        'secretKey',
        'accessKey',
        'token',
        '*.password',
        '*.secretKey',
        '*.accessKey',
        '*.token',
        '*.*.password',
        '*.*.secretKey',
        '*.*.token',
      ],
      censor: '***',
    },
  },
  destination,
);

/**
 * Calls `tap` with every log line, at every level down to `debug`, until the returned function is
 * called. For tests: what is logged is part of what must never hold a secret.
 */
export function tapLogs(tap: Tap): () => void {
  const level = log.level;
  taps.add(tap);
  tapping = true;
  log.level = 'debug';
  return () => {
    taps.delete(tap);
    tapping = taps.size > 0;
    if (!tapping) log.level = level;
  };
}
