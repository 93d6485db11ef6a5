import type { Db } from './platform/db/schema.js';
import type { DbKind } from './platform/db/connect.js';
import type { Clock } from './platform/clock.js';
import type { Logger } from './platform/log.js';
import type { EventBus } from './platform/events/bus.js';
import type { JobRunner } from './platform/jobs.js';
import type { Config } from './platform/config.js';
import type { ReadRouter } from './platform/db/replica.js';

/** What every module's service is built from. */
export interface Ctx {
  db: Db;
  dbKind: DbKind;
  clock: Clock;
  log: Logger;
  bus: EventBus;
  jobs: JobRunner;
  config: Config;
  /** Where lag-tolerant reads go (DATABASE_READ_URL); absent or without a replica: the primary. */
  reads?: ReadRouter;
}
