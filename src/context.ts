import type { Db } from './platform/db/schema.js';
import type { DbKind } from './platform/db/connect.js';
import type { Clock } from './platform/clock.js';
import type { Logger } from './platform/log.js';
import type { EventBus } from './platform/events/bus.js';
import type { JobRunner } from './platform/jobs.js';
import type { Config } from './platform/config.js';

/** What every module's service is built from. */
export interface Ctx {
  db: Db;
  dbKind: DbKind;
  clock: Clock;
  log: Logger;
  bus: EventBus;
  jobs: JobRunner;
  config: Config;
}
