import { pino, type Logger } from 'pino';
import type { Config } from './config/config.js';

export type { Logger };

/** Structured JSON logs with stable event names (`msg`), secrets and addresses redacted. */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'paperboy' },
      redact: { paths: ['email', 'to', '*.email', '*.to', 'token', '*.token', 'password', '*.password'], censor: '[redacted]' },
    },
    destination ?? process.stderr,
  );
}
