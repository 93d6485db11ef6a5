/**
 * Across processes (PostgreSQL): two Omnia instances on one database, each with its own pool and its
 * own live hub, as two API processes behind a load balancer. The shopper's stream is held by B; the
 * agent posts to A. B has no word from A but the database: its hub's version poll finds the change
 * and the message reaches the shopper.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { createOmnia, type Omnia } from '../../src/server.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/log.js';
import { readEvents, setupChat, type ChatShop } from './fixtures.js';

let d: TestDatabase;
let a: TestApp;
let b: Omnia;
let w: ChatShop;
let baseB: string;

beforeAll(async () => {
  d = await createTestDatabase({ forcePg: true, poolSize: 6 });
  a = await startTestApp({ database: d });
  w = await setupChat(a, 'p');
  b = await createOmnia({
    config: { ...loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: d.url! }), jobs: false },
    logger: createLogger('silent'),
    migrate: false,
  });
  await b.app.listen({ port: 0, host: '127.0.0.1' });
  baseB = `http://127.0.0.1:${(b.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe('webchat across processes', () => {
  it('a message posted to process A reaches a shopper streaming from process B', async () => {
    const open = await a.request('POST', '/v1/conversations', { token: w.pub, body: { message: 'hola desde B' } });
    const id = open.body.conversation.id;
    const live = readEvents(
      `${baseB}/v1/conversations/${id}/stream`,
      { authorization: `Bearer ${w.pub}`, 'x-conversation-token': open.body.token },
      (es) => es.filter((e) => e.event === 'message').length >= 2,
    );
    await new Promise((r) => setTimeout(r, 300));
    const answer = await a.request('POST', `/v1/conversations/${id}/messages`, {
      token: w.agent,
      body: { body: 'respuesta escrita en A' },
    });
    expect(answer.status).toBe(201);
    const got = await live;
    expect(got.events.filter((e) => e.event === 'message').map((e) => e.data.body)).toEqual([
      'hola desde B',
      'respuesta escrita en A',
    ]);
  });

  it('two agents taking at once: one gets it, the other a 409; concurrent messages get distinct seqs', async () => {
    const open = await a.request('POST', '/v1/conversations', { token: w.pub, body: { message: 'carrera' } });
    const id = open.body.conversation.id;
    const [x, y] = await Promise.all([
      a.request('POST', `/v1/conversations/${id}/take`, { token: w.agent }),
      a.request('POST', `/v1/conversations/${id}/take`, { token: w.agent2 }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const winner = x.status === 200 ? w.agent : w.agent2;
    const head = { 'x-conversation-token': open.body.token };
    const sent = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2
          ? a.request('POST', `/v1/conversations/${id}/messages`, { token: winner, body: { body: `agent ${i}` } })
          : a.request('POST', `/v1/conversations/${id}/messages`, {
              token: w.pub,
              headers: head,
              body: { body: `shopper ${i}` },
            }),
      ),
    );
    expect(sent.map((r) => r.status)).toEqual(Array(12).fill(201));
    const seqs = sent.map((r) => r.body.seq as number).sort((p, q) => p - q);
    expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
  });
});
