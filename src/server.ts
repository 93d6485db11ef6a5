import type { Config } from './platform/config.js';
import { connect, connectReplica, type Database } from './platform/db/connect.js';
import { ReadRouter } from './platform/db/replica.js';
import { migrate } from './platform/db/migrate.js';
import { systemClock, type Clock } from './platform/clock.js';
import { createLogger, type Logger } from './platform/log.js';
import { EventBus } from './platform/events/bus.js';
import { OutboxDispatcher } from './platform/events/dispatcher.js';
import { JobRunner } from './platform/jobs.js';
import { createHttpApp, type App } from './platform/http/app.js';
import { registerRoutes } from './routes.js';
import { registerConsole } from './platform/http/console.js';
import { connectNatsBridge, type NatsBridge } from './platform/events/nats.js';
import { listener, notifier } from './platform/db/pg-nudge.js';
import { systemRoutes } from './platform/http/system-routes.js';
import { purgeIdempotencyKeys } from './platform/http/idempotency.js';
import { RETENTION_INTERVAL_MS, settledEventsJob } from './platform/events/retention.js';
import { composeServices, type Services } from './services.js';
import { eventCatalog } from './events-catalog.js';
import { webhooksDocument } from './platform/events/openapi.js';
import type { Ctx } from './context.js';

export interface Omnia {
  app: App;
  ctx: Ctx;
  services: Services;
  dispatcher: OutboxDispatcher;
  database: Database;
  close(): Promise<void>;
}

export interface OmniaOptions {
  config: Config;
  /** An already open database (tests); otherwise one is opened from the config. */
  database?: Database;
  clock?: Clock;
  logger?: Logger;
  /** Apply pending migrations at start (default true). */
  migrate?: boolean;
  command?: string;
}

/** Builds the whole process: database, services, HTTP app, background jobs. Does not listen. */
export async function createOmnia(opts: OmniaOptions): Promise<Omnia> {
  const { config } = opts;
  const log = opts.logger ?? createLogger(config.logLevel);
  const database =
    opts.database ??
    (await connect({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.dbPoolSize,
      command: opts.command ?? 'omnia serve',
      txGuardTrace: config.txGuardTrace,
      prepare: config.pgPrepare,
    }));
  let closeReplica = async (): Promise<void> => undefined;
  try {
    if (opts.migrate !== false) {
      const applied = await migrate(database.db);
      if (applied.length) log.info({ applied }, 'migrations applied');
    }
    const ctx: Ctx = {
      db: database.db,
      dbKind: database.kind,
      clock: opts.clock ?? systemClock,
      log,
      bus: new EventBus(),
      jobs: new JobRunner(log),
      config,
    };
    // Issue 17 point 6: lag-tolerant reads on a streaming replica (docs/scaling.md, "A read replica").
    const replica = config.databaseReadUrl
      ? connectReplica({
          url: config.databaseReadUrl,
          poolSize: config.dbPoolSize,
          txGuardTrace: config.txGuardTrace,
          prepare: config.pgPrepare,
        })
      : undefined;
    ctx.reads = new ReadRouter(ctx.db, replica?.db, { maxLagMs: config.readMaxLagMs, clock: ctx.clock });
    closeReplica = async () => {
      ctx.reads?.stop();
      await replica?.close();
    };
    await ctx.reads.start();
    const services = await composeServices(ctx);
    const dispatcher = new OutboxDispatcher(ctx.db, ctx.bus, ctx.clock, log);
    dispatcher.addSink(services.webhooks.sink);
    const nats: NatsBridge | undefined = config.natsUrl ? await connectNatsBridge(config.natsUrl, log) : undefined;
    if (nats) ctx.bus.subscribeAfterCommit('*', 'nats', (e) => nats.publish(e), { timeoutMs: 10_000 });
    ctx.jobs.add({
      name: 'outbox.dispatch',
      intervalMs: 250,
      run: async () => {
        const n = await dispatcher.dispatchBatch();
        if (n > 0) ctx.jobs.kick('events.deliver');
        return n;
      },
    });
    ctx.jobs.add({ name: 'events.deliver', intervalMs: 500, run: () => dispatcher.deliveries.runDue() });
    ctx.jobs.add({
      name: 'idempotency.purge',
      intervalMs: 3_600_000,
      run: async () => (await purgeIdempotencyKeys(ctx.db, new Date(ctx.clock.now().getTime() - 24 * 3_600_000)), 0),
    });
    // Settled events older than OMNIA_EVENTS_KEEP_DAYS leave the outbox, a chunk per run (retention.ts).
    const purgeEvents = settledEventsJob(ctx.db, ctx.clock, config.eventsKeepDays);
    ctx.jobs.add({ name: 'events.retention', intervalMs: RETENTION_INTERVAL_MS, run: purgeEvents });
    // Roles (config.role): an `api` process runs no jobs and wakes the workers through PostgreSQL; a
    // `worker` runs them and listens; `all` (the default, and the only role on the embedded database) both.
    const runsJobs = config.jobs && config.role !== 'api';
    const toWorkers = config.role === 'api' && config.databaseUrl ? notifier(config.databaseUrl, log) : undefined;
    ctx.bus.onNudge(() => (toWorkers ? toWorkers.nudge() : ctx.jobs.kick('outbox.dispatch')));
    const fromApis =
      config.role === 'worker' && runsJobs && config.databaseUrl
        ? await listener(config.databaseUrl, log, () => ctx.jobs.kick('outbox.dispatch'))
        : undefined;

    const app = await createHttpApp({
      logger: log,
      db: ctx.db,
      clock: ctx.clock,
      bodyLimit: config.bodyLimit,
      authenticate: (b) => services.auth.authenticate(b),
      openapiWebhooks: webhooksDocument(eventCatalog),
      rateLimits: config.rateLimits,
      sealer: services.auth.keys,
    });
    if (config.role === 'worker') {
      await systemRoutes(app, { db: ctx.db }); // probes only: a worker serves no API
    } else {
      await registerRoutes(app, services);
      await registerConsole(app);
    }
    await app.ready();
    if (runsJobs) ctx.jobs.start();

    let closed = false;
    return {
      app,
      ctx,
      services,
      dispatcher,
      database,
      async close() {
        if (closed) return;
        closed = true;
        await ctx.jobs.stop();
        await app.close();
        await toWorkers?.close();
        await fromApis?.close();
        await nats?.close().catch(() => undefined);
        await closeReplica();
        if (!opts.database) await database.close();
      },
    };
  } catch (err) {
    await closeReplica();
    if (!opts.database) await database.close();
    throw err;
  }
}
