import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  const opts: LoggerOptions = {
    level,
    base: { service: 'omnia', ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', '*.password', '*.key_secret'], censor: '[redacted]' },
  };
  return pino(opts);
}
