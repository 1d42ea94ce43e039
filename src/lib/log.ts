/**
 * The process logger (pino, JSON lines). `LOG_LEVEL` sets the level (default `info`; tests run
 * `silent`). Secrets never reach it: errors carry none, and redaction guards any field named like one.
 */
import { pino, type Logger } from 'pino';

export const log: Logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: 'backupql' },
  redact: {
    paths: ['password', 'secretKey', 'accessKey', 'token', '*.password', '*.secretKey', '*.accessKey', '*.token', '*.*.password', '*.*.secretKey', '*.*.token'],
    censor: '***',
  },
});
