import path from 'node:path';
import { carriersConfig, stripeConfig, type CarriersConfig, type StripeConfig } from './config-providers.js';
import { parseIntStrict } from './config-parse.js';

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
   * Secrets rotated out (`OMNIA_SECRET_PREVIOUS`, comma-separated): tokens they signed still verify
   * until they expire, so rotating the secret does not log everyone out at once.
   */
  secretPrevious: string[];
  /** Login attempts allowed per window, per account (email) and per client IP (docs/security.md). */
  rateLimits: RateLimitConfig;
  /**
   * Deliver webhooks to loopback, private and link-local addresses (`OMNIA_ALLOW_PRIVATE_WEBHOOKS=1`):
   * for development only; by default they are refused (docs/security.md, outbound requests).
   */
  allowPrivateWebhooks: boolean;
  /** Run background jobs (outbox dispatch, expiry, webhooks) in this process. */
  jobs: boolean;
  /**
   * What this process does (`OMNIA_ROLE`, `omnia serve --role`): `all` serves HTTP and runs the jobs;
   * `api` serves HTTP and runs no consumers or jobs; `worker` runs the outbox dispatcher, event consumers
   * and jobs and serves only /health and /ready. `api` and `worker` need PostgreSQL (the embedded
   * database belongs to one process). See ARCHITECTURE.md, "Processes".
   */
  role: ProcessRole;
  /** Hot-SKU request coalescing in reservations (`OMNIA_INVENTORY_COALESCE=0` turns it off, to measure the naive path). */
  inventoryCoalesce: boolean;
  /** How long a payment provider call may take (`OMNIA_PAYMENT_TIMEOUT_MS`); the payments module's default when unset. */
  paymentTimeoutMs: number | undefined;
  /**
   * The built-in test card provider, for tests and benchmarks: every call takes `latencyMs`
   * (`OMNIA_TEST_PAYMENT_LATENCY_MS`), and an authorisation hangs `hangAfterAuthMs` after it is decided
   * (`OMNIA_TEST_PAYMENT_HANG_AFTER_AUTH_MS`, a crash-test hook). Both 0 by default.
   */
  testPayments: { latencyMs: number; hangAfterAuthMs: number };
  /**
   * Stripe card payments (docs/connectors/payments.md), on when `OMNIA_STRIPE_SECRET_KEY` is set:
   * `OMNIA_STRIPE_WEBHOOK_SECRET` (whsec_…, verifies POST /v1/payments/webhooks/stripe),
   * `OMNIA_STRIPE_RETURN_URL` (where the shopper lands after 3-D Secure), `OMNIA_STRIPE_CAPTURE`
   * (manual | automatic, default manual) and `OMNIA_STRIPE_API_URL` (another API host: the local fake).
   */
  stripe: StripeConfig | undefined;
  /**
   * Carriers (docs/connectors/carriers.md). DHL Express (MyDHL API) is on when `OMNIA_DHL_USERNAME`,
   * `OMNIA_DHL_PASSWORD` and `OMNIA_DHL_ACCOUNT` are set (`OMNIA_DHL_URL`: another endpoint, e.g. the
   * test environment or the local fake). `OMNIA_CARRIER_ORIGIN` (`country:postal code:city`) is where
   * checkout quotes from; `OMNIA_CARRIER_WEBHOOK_SECRET` signs the tracking webhook;
   * `OMNIA_CARRIER_TIMEOUT_MS` bounds each call (default 3000: then the rate table answers).
   */
  carriers: CarriersConfig;
  /** Outgoing mail: `smtp://host:port` (`OMNIA_SMTP_URL`; none sent when unset) and the sender (`OMNIA_MAIL_FROM`). */
  mail: { smtpUrl: string | undefined; from: string | undefined };
  /**
   * The key that seals connector credentials at rest (`OMNIA_SECRETS_KEY`: 32 bytes as 64 hex characters or
   * base64; AES-256-GCM, docs/connectors/marketplaces.md). Without it no marketplace connector starts.
   */
  secretsKey: string | undefined;
  /**
   * Print the stack of each transaction-guard refusal (`OMNIA_TX_GUARD_TRACE=1`; db/tx-guard.ts): a
   * route turns the refusal into a logged 500, silent in tests, and this shows its call site.
   */
  txGuardTrace: boolean;
  /**
   * A PostgreSQL streaming replica (`DATABASE_READ_URL`) for lag-tolerant reads: availability, product
   * pages and lists, the agents' customer search and 360 (docs/scaling.md, "A read replica").
   * `OMNIA_READ_MAX_LAG_MS` (default 1000): the replica is used only while it lags less than this.
   */
  databaseReadUrl: string | undefined;
  readMaxLagMs: number;
  /**
   * Chunks of a min/max run computed at the same time (`OMNIA_PLANNING_WORKERS`, default 2, at most
   * the pool less one): each holds one database connection and, with the COPY path, about 80 MB of
   * this process's memory; a third measured no faster on two cores (docs/planning.md).
   */
  planningWorkers: number;
  /**
   * How a run's chunks are computed on PostgreSQL (`OMNIA_PLANNING_COMPUTE`): `copy` (default) moves
   * the pairs out and the rows in by binary COPY and computes in the process; `sql` computes in one
   * statement in the database. PGlite always computes in SQL.
   */
  planningCompute: 'copy' | 'sql';
  /**
   * Done min/max runs whose results and proposals are kept (`OMNIA_PLANNING_KEEP_RUNS`, default 10;
   * 0 keeps all): older runs' output tables are dropped when a run finishes (docs/planning.md).
   */
  planningKeepRuns: number;
  /**
   * Days a settled event stays in the outbox, and a settled webhook delivery in its log
   * (`OMNIA_EVENTS_KEEP_DAYS`, default 30; 0 keeps them for ever): platform/events/retention.ts.
   */
  eventsKeepDays: number;
  /**
   * Repeated statements sent as named prepared statements on PostgreSQL (`OMNIA_PG_PREPARE`, default
   * 1): each connection parses and plans a hot statement once (src/platform/db/prepared.ts). 0 for a
   * connection pooler in transaction mode, which cannot keep a connection's prepared statements.
   */
  pgPrepare: boolean;
  /**
   * Concurrent checkouts' first transactions batched, one savepoint each (`OMNIA_CHECKOUT_BATCH`:
   * 0 off, 1 (default) only checkouts sharing a SKU under pressure, `all` every one;
   * src/carts/checkout-batch.ts, docs/scaling.md "Checkout batching").
   */
  checkoutBatch: 'off' | 'hot' | 'all';
}

/** OMNIA_EVENTS_KEEP_DAYS when unset (platform/events/retention.ts). */
export const DEFAULT_EVENTS_KEEP_DAYS = 30;

export const PROCESS_ROLES = ['all', 'api', 'worker'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export interface RateLimitConfig {
  /** The window every limit counts over, in milliseconds (`OMNIA_RATE_WINDOW_S`, default 60). */
  windowMs: number;
  /** Login attempts per account (email) per window (`OMNIA_LOGIN_RATE_ACCOUNT`, default 10). */
  loginPerAccount: number;
  /** Login attempts per client IP per window (`OMNIA_LOGIN_RATE_IP`, default 30). */
  loginPerIp: number;
  /** Pickup-code handover attempts per client IP per window (`OMNIA_PICKUP_RATE_IP`, default 30). */
  pickupPerIp: number;
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
  role: 'OMNIA_ROLE',
};

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
  const secretPrevious = (merged.OMNIA_SECRET_PREVIOUS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secretPrevious.some((s) => s.length < 32))
    problems.push('OMNIA_SECRET_PREVIOUS must hold secrets of at least 32 characters, separated by commas');
  const rateLimits: RateLimitConfig = {
    windowMs: parseIntStrict('OMNIA_RATE_WINDOW_S', merged.OMNIA_RATE_WINDOW_S ?? '60', 1, 86_400, problems) * 1000,
    loginPerAccount: parseIntStrict(
      'OMNIA_LOGIN_RATE_ACCOUNT',
      merged.OMNIA_LOGIN_RATE_ACCOUNT ?? '10',
      1,
      1e6,
      problems,
    ),
    loginPerIp: parseIntStrict('OMNIA_LOGIN_RATE_IP', merged.OMNIA_LOGIN_RATE_IP ?? '30', 1, 1e6, problems),
    pickupPerIp: parseIntStrict('OMNIA_PICKUP_RATE_IP', merged.OMNIA_PICKUP_RATE_IP ?? '30', 1, 1e6, problems),
  };
  const privateRaw = (merged.OMNIA_ALLOW_PRIVATE_WEBHOOKS ?? '0').toLowerCase();
  if (!['true', 'false', '1', '0'].includes(privateRaw))
    problems.push(`OMNIA_ALLOW_PRIVATE_WEBHOOKS must be 1 or 0, got "${privateRaw}"`);
  const jobsRaw = (merged.OMNIA_JOBS ?? 'true').toLowerCase();
  if (!['true', 'false', '1', '0'].includes(jobsRaw))
    problems.push(`OMNIA_JOBS must be true or false, got "${jobsRaw}"`);
  const role = (merged.OMNIA_ROLE?.trim() || 'all') as ProcessRole;
  if (!PROCESS_ROLES.includes(role))
    problems.push(`OMNIA_ROLE must be one of ${PROCESS_ROLES.join(', ')}, got "${role}"`);
  else if (role !== 'all' && !databaseUrl)
    problems.push(
      `OMNIA_ROLE=${role} needs DATABASE_URL: the embedded database serves one process, which must be --role all`,
    );
  const coalesceRaw = (merged.OMNIA_INVENTORY_COALESCE ?? '1').toLowerCase();
  if (!['true', 'false', '1', '0'].includes(coalesceRaw))
    problems.push(`OMNIA_INVENTORY_COALESCE must be 1 or 0, got "${coalesceRaw}"`);
  const traceRaw = (merged.OMNIA_TX_GUARD_TRACE ?? '0').toLowerCase();
  if (!['true', 'false', '1', '0'].includes(traceRaw))
    problems.push(`OMNIA_TX_GUARD_TRACE must be 1 or 0, got "${traceRaw}"`);
  const HOUR_MS = 3_600_000;
  const paymentTimeoutMs = merged.OMNIA_PAYMENT_TIMEOUT_MS?.trim()
    ? parseIntStrict('OMNIA_PAYMENT_TIMEOUT_MS', merged.OMNIA_PAYMENT_TIMEOUT_MS, 1, HOUR_MS, problems)
    : undefined;
  const testPayments = {
    latencyMs: parseIntStrict(
      'OMNIA_TEST_PAYMENT_LATENCY_MS',
      merged.OMNIA_TEST_PAYMENT_LATENCY_MS ?? '0',
      0,
      HOUR_MS,
      problems,
    ),
    hangAfterAuthMs: parseIntStrict(
      'OMNIA_TEST_PAYMENT_HANG_AFTER_AUTH_MS',
      merged.OMNIA_TEST_PAYMENT_HANG_AFTER_AUTH_MS ?? '0',
      0,
      HOUR_MS,
      problems,
    ),
  };
  const stripe = stripeConfig(merged, problems);
  const carriers = carriersConfig(merged, problems);
  const smtpUrl = merged.OMNIA_SMTP_URL?.trim() || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl))
    problems.push(`OMNIA_SMTP_URL must start with smtp:// or smtps://, got "${smtpUrl}"`);
  const secretsKey = merged.OMNIA_SECRETS_KEY?.trim() || undefined;
  if (
    secretsKey &&
    !/^[0-9a-fA-F]{64}$/.test(secretsKey) &&
    !(/^[A-Za-z0-9+/]{43}=?$/.test(secretsKey) && Buffer.from(secretsKey, 'base64').length === 32)
  )
    problems.push('OMNIA_SECRETS_KEY must be 32 bytes: 64 hex characters or base64 of 32 bytes');
  const databaseReadUrl = merged.DATABASE_READ_URL?.trim() || undefined;
  if (databaseReadUrl && !/^postgres(ql)?:\/\//.test(databaseReadUrl))
    problems.push(`DATABASE_READ_URL must start with postgres:// or postgresql://, got "${databaseReadUrl}"`);
  else if (databaseReadUrl && !databaseUrl)
    problems.push(
      'DATABASE_READ_URL needs DATABASE_URL: a replica follows a PostgreSQL server, not the embedded database',
    );
  const readMaxLagMs = parseIntStrict(
    'OMNIA_READ_MAX_LAG_MS',
    merged.OMNIA_READ_MAX_LAG_MS ?? '1000',
    1,
    600_000,
    problems,
  );
  const planningWorkers = parseIntStrict(
    'OMNIA_PLANNING_WORKERS',
    merged.OMNIA_PLANNING_WORKERS ?? String(Math.max(1, Math.min(2, dbPoolSize - 1))),
    1,
    Math.max(1, dbPoolSize - 1),
    problems,
  );
  const planningCompute = merged.OMNIA_PLANNING_COMPUTE ?? 'copy';
  if (planningCompute !== 'copy' && planningCompute !== 'sql')
    problems.push(`OMNIA_PLANNING_COMPUTE must be copy or sql, got ${JSON.stringify(planningCompute)}`);
  const planningKeepRuns = parseIntStrict(
    'OMNIA_PLANNING_KEEP_RUNS',
    merged.OMNIA_PLANNING_KEEP_RUNS ?? '10',
    0,
    100_000,
    problems,
  );
  const eventsKeepDays = parseIntStrict(
    'OMNIA_EVENTS_KEEP_DAYS',
    merged.OMNIA_EVENTS_KEEP_DAYS ?? String(DEFAULT_EVENTS_KEEP_DAYS),
    0,
    36_500,
    problems,
  );
  const prepareRaw = (merged.OMNIA_PG_PREPARE ?? '1').toLowerCase();
  if (!['true', 'false', '1', '0'].includes(prepareRaw))
    problems.push(`OMNIA_PG_PREPARE must be 1 or 0, got "${prepareRaw}"`);
  const batchRaw = (merged.OMNIA_CHECKOUT_BATCH ?? '1').toLowerCase();
  if (!['true', 'false', '1', '0', 'all'].includes(batchRaw))
    problems.push(`OMNIA_CHECKOUT_BATCH must be 1, 0 or all, got "${batchRaw}"`);
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
    secretPrevious,
    rateLimits,
    allowPrivateWebhooks: privateRaw === 'true' || privateRaw === '1',
    jobs: jobsRaw === 'true' || jobsRaw === '1',
    role,
    inventoryCoalesce: coalesceRaw === 'true' || coalesceRaw === '1',
    paymentTimeoutMs,
    testPayments,
    stripe,
    carriers,
    mail: { smtpUrl, from: merged.OMNIA_MAIL_FROM?.trim() || undefined },
    secretsKey,
    txGuardTrace: traceRaw === 'true' || traceRaw === '1',
    databaseReadUrl,
    readMaxLagMs,
    planningWorkers,
    planningCompute: planningCompute as 'copy' | 'sql',
    planningKeepRuns,
    eventsKeepDays,
    pgPrepare: prepareRaw === 'true' || prepareRaw === '1',
    checkoutBatch: batchRaw === 'all' ? 'all' : batchRaw === 'true' || batchRaw === '1' ? 'hot' : 'off',
  };
}
