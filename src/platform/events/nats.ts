import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { Logger } from '../log.js';
import type { PublishedEvent } from './outbox.js';

/**
 * The optional distributed event bus: with NATS_URL set, every dispatched outbox event is also
 * published to JetStream, from its own delivery row after commit (stream OMNIA_EVENTS, subject `omnia.events.<type>`) for consumers outside
 * this process — other Omnia deployments, the retailer's data platform. The event id is the JetStream
 * message id, so a batch re-dispatched after a crash is de-duplicated by the stream (within its
 * duplicate window) and consumers still see each event once in the common case, at least once always.
 * In-process subscribers are fed by the outbox dispatcher whether or not NATS is configured.
 */
export const STREAM = 'OMNIA_EVENTS';
export const SUBJECT_PREFIX = 'omnia.events.';

export interface NatsBridge {
  /** Publishes one event; run after commit from the event's `nats` delivery row (see deliveries.ts). */
  publish(event: PublishedEvent): Promise<void>;
  close(): Promise<void>;
}

export async function connectNatsBridge(url: string, log: Logger): Promise<NatsBridge> {
  const nc: NatsConnection = await connect({ servers: url, name: 'omnia', reconnect: true, maxReconnectAttempts: -1 });
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(STREAM);
  } catch {
    await jsm.streams.add({
      name: STREAM,
      subjects: [`${SUBJECT_PREFIX}>`],
      duplicate_window: 10 * 60 * 1_000_000_000,
    });
    log.info({ stream: STREAM }, 'created the JetStream stream');
  }
  const js: JetStreamClient = jetstream(nc);
  return {
    // The event id is the message id: a delivery retried after a lost acknowledgement is de-duplicated.
    publish: async (e) => {
      await js.publish(`${SUBJECT_PREFIX}${e.type}`, JSON.stringify(e), { msgID: e.id });
    },
    close: () => nc.drain(),
  };
}
