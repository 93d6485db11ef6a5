import path from 'node:path';

/** Everything the process is configured by: environment first, command-line flags over it. */
export interface Config {
  port: number;
  host: string;
  /** postgres://… for the PostgreSQL server; undefined means the embedded PGlite database. */
  databaseUrl: string | undefined;
  /** Folder of the embedded database (ignored when databaseUrl is set). */
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Pool size for PostgreSQL. */
  dbPoolSize: number;
  /** Max request body in bytes. */
  bodyLimit: number;
  /** Optional NATS server for the distributed event bus. */
  natsUrl: string | undefined;
  /** Secret that signs staff and customer tokens; generated and stored in the database when unset. */
  secret: string | undefined;
  /**
   * Deliver webhooks to loopback, private and link-local addresses (`OMNIA_ALLOW_PRIVATE_WEBHOOKS=1`):
   * for development only; by default they are refused (docs/security.md, outbound requests).
   */
  allowPrivateWebhooks: boolean;
  /** Run background jobs (outbox dispatch, expiry, webhooks) in this process. */
  jobs: boolean;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Flags that map onto config keys: `--port 8080` or `--port=8080`. */
const FLAG_TO_ENV: Record<string, string> = {
  port: 'PORT',
  host: 'HOST',
  'database-url': 'DATABASE_URL',
  'data-dir': 'OMNIA_DATA_DIR',
  'log-level': 'LOG_LEVEL',
  'db-pool': 'OMNIA_DB_POOL',
  'body-limit': 'OMNIA_BODY_LIMIT',
  'nats-url': 'NATS_URL',
  jobs: 'OMNIA_JOBS',
};

function parseIntStrict(name: string, raw: string, min: number, max: number, problems: string[]): number {
  if (!/^\d+$/.test(raw.trim())) {
    problems.push(`${name} must be a whole number, got "${raw}"`);
    return min;
  }
  const n = Number(raw);
  if (n < min || n > max) problems.push(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  flags: Record<string, string> = {},
): Config {
  const merged: Record<string, string | undefined> = { ...env };
  for (const [flag, value] of Object.entries(flags)) {
    const key = FLAG_TO_ENV[flag];
    if (key) merged[key] = value;
  }
  const problems: string[] = [];
  const port = parseIntStrict('PORT', merged.PORT ?? '3000', 0, 65535, problems);
  const host = merged.HOST ?? '127.0.0.1';
  const databaseUrl = merged.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`DATABASE_URL must start with postgres:// or postgresql://, got "${databaseUrl}"`);
  }
  const dataDir = path.resolve(merged.OMNIA_DATA_DIR ?? '.omnia/data');
  const logLevel = (merged.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const dbPoolSize = parseIntStrict('OMNIA_DB_POOL', merged.OMNIA_DB_POOL ?? '20', 1, 1000, problems);
  const bodyLimit = parseIntStrict(
    'OMNIA_BODY_LIMIT',
    merged.OMNIA_BODY_LIMIT ?? String(1024 * 1024),
    1024,
    512 * 1024 * 1024,
    problems,
  );
  const natsUrl = merged.NATS_URL?.trim() || undefined;
  const secret = merged.OMNIA_SECRET?.trim() || undefined;
  if (secret !== undefined && secret.length < 32) problems.push('OMNIA_SECRET must be at least 32 characters');
  const privateRaw = (merged.OMNIA_ALLOW_PRIVATE_WEBHOOKS ?? '0').toLowerCase();
  if (!['true', 'false', '1', '0'].includes(privateRaw))
    problems.push(`OMNIA_ALLOW_PRIVATE_WEBHOOKS must be 1 or 0, got "${privateRaw}"`);
  const jobsRaw = (merged.OMNIA_JOBS ?? 'true').toLowerCase();
  if (!['true', 'false', '1', '0'].includes(jobsRaw))
    problems.push(`OMNIA_JOBS must be true or false, got "${jobsRaw}"`);
  if (problems.length) throw new ConfigError(problems);
  return {
    port,
    host,
    databaseUrl,
    dataDir,
    logLevel,
    dbPoolSize,
    bodyLimit,
    natsUrl,
    secret,
    allowPrivateWebhooks: privateRaw === 'true' || privateRaw === '1',
    jobs: jobsRaw === 'true' || jobsRaw === '1',
  };
}
