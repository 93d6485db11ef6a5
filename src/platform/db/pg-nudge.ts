import pg from 'pg';
import type { Logger } from '../log.js';

/**
 * Wakes worker processes when an API process commits events, so that an API/worker split does not add a
 * poll interval to every delivery. PostgreSQL's LISTEN/NOTIFY carries the nudge; the outbox itself stays
 * the source of truth (a lost notification only means the worker's next poll finds the work).
 */
export const OUTBOX_CHANNEL = 'omnia_outbox';

/**
 * API side: at most one NOTIFY per `minGapMs`, however many commits nudge in between (the worker drains
 * the whole outbox batch by batch anyway). Runs on a connection of its own, outside every transaction.
 */
export function notifier(databaseUrl: string, log: Logger, minGapMs = 20): { nudge(): void; close(): Promise<void> } {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'omnia api nudge' });
  const ready = client.connect().then(
    () => true,
    (err: unknown) => {
      log.warn({ err }, 'outbox nudges to workers are off: workers find new events by polling');
      return false;
    },
  );
  client.on('error', (err) => log.warn({ err }, 'outbox nudge connection failed'));
  let last = 0;
  let pending: NodeJS.Timeout | undefined;
  // One NOTIFY at a time on the one connection (pg deprecates overlapping queries on a client): a
  // nudge while one is in flight is sent once it lands.
  let inFlight = false;
  let again = false;
  const send = () => {
    pending = undefined;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    last = Date.now();
    void ready
      .then(async (ok) => {
        if (ok) await client.query(`notify ${OUTBOX_CHANNEL}`).catch(() => undefined);
      })
      .finally(() => {
        inFlight = false;
        if (again) {
          again = false;
          send();
        }
      });
  };
  return {
    nudge() {
      if (pending) return;
      const wait = last + minGapMs - Date.now();
      if (wait <= 0) send();
      else pending = setTimeout(send, wait);
    },
    async close() {
      clearTimeout(pending);
      if (await ready) await client.end().catch(() => undefined);
    },
  };
}

/** Worker side: calls `wake` on every nudge. */
export async function listener(
  databaseUrl: string,
  log: Logger,
  wake: () => void,
): Promise<{ close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'omnia worker listen' });
  client.on('error', (err) => log.warn({ err }, 'outbox listen connection failed: polling only'));
  try {
    await client.connect();
    client.on('notification', () => wake());
    await client.query(`listen ${OUTBOX_CHANNEL}`);
  } catch (err) {
    log.warn({ err }, 'outbox nudges are off: this worker finds new events by polling');
  }
  return { close: () => client.end().catch(() => undefined) };
}
