import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { createOmnia, type Omnia } from '../../src/server.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/log.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { STREAM } from '../../src/platform/events/nats.js';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

describe('NATS JetStream bridge (NATS_URL set)', () => {
  let omnia: Omnia;
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    omnia = await createOmnia({
      config: { ...loadConfig({ LOG_LEVEL: 'silent', NATS_URL }), jobs: false },
      database,
      logger: createLogger('silent'),
      migrate: false,
    });
  });
  afterAll(async () => {
    await omnia?.close();
    await database?.close();
  });

  it('publishes each dispatched event once to the stream, with its id as the message id', async () => {
    const code = `web-${Date.now()}`;
    await omnia.services.network.createChannel({ code, type: 'web', name: 'Web' });
    expect(await omnia.dispatcher.drain()).toBe(1);

    const nc = await connect({ servers: NATS_URL });
    try {
      const jsm = await jetstreamManager(nc);
      const consumer = await jsm.consumers.add(STREAM, {
        ack_policy: AckPolicy.None,
        deliver_policy: DeliverPolicy.All,
        filter_subject: 'omnia.events.channel.created',
      });
      const js = jetstream(nc);
      const c = await js.consumers.get(STREAM, consumer.name);
      const found: { id: string; data: { code: string } }[] = [];
      // Exactly what the stream holds for the subject, so the fetch ends once it is delivered; a long
      // window and heartbeat, so a loaded machine (the whole suite on 2 cores) misses no heartbeat.
      const { num_pending } = await jsm.consumers.info(STREAM, consumer.name);
      expect(num_pending).toBeGreaterThan(0);
      const batch = await c.fetch({ max_messages: num_pending, expires: 20_000, idle_heartbeat: 5_000 });
      for await (const m of batch) {
        const e = m.json<{ id: string; data: { code: string } }>();
        if (e.data.code === code) found.push(e);
      }
      expect(found).toHaveLength(1);
      await jsm.consumers.delete(STREAM, consumer.name);
    } finally {
      await nc.close();
    }
  });
});
