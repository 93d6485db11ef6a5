/**
 * The live channel (server-sent events over fetch): a shopper's stream receives the agent's message
 * as it is posted, a reconnect with Last-Event-ID resumes after what it already had (a reload), the
 * agent's stream sees the shopper, and a stream is authorized like a read.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { readEvents, setupChat, type ChatShop } from './fixtures.js';

let t: TestApp;
let w: ChatShop;
let base: string;

beforeAll(async () => {
  t = await startTestApp();
  w = await setupChat(t, 'l');
  await t.omnia.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.omnia.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => t?.close());

const messages = (events: { event: string; id?: string; data: any }[]) => events.filter((e) => e.event === 'message');

describe('webchat live channel', () => {
  it('streams the agent’s answer to the shopper as it is posted, and resumes after a reload', async () => {
    const open = await t.request('POST', '/v1/conversations', { token: w.pub, body: { message: 'hola' } });
    const id = open.body.conversation.id;
    const shopper = { authorization: `Bearer ${w.pub}`, 'x-conversation-token': open.body.token };
    const url = `${base}/v1/conversations/${id}/stream`;
    const live = readEvents(url, shopper, (es) => messages(es).length >= 2);
    // The stream first replays what exists (seq 1); then the agent answers while it is open.
    await new Promise((r) => setTimeout(r, 300));
    const answer = await t.request('POST', `/v1/conversations/${id}/messages`, {
      token: w.agent,
      body: { body: 'Hola, te atiende Marta' },
    });
    expect(answer.status).toBe(201);
    const got = await live;
    expect(got.status).toBe(200);
    expect(messages(got.events).map((e) => [e.id, e.data.author, e.data.body])).toEqual([
      ['1', 'shopper', 'hola'],
      ['2', 'agent', 'Hola, te atiende Marta'],
    ]);
    // The state followed too: the agent's answer took the conversation.
    expect(got.events.filter((e) => e.event === 'conversation').at(-1)!.data).toMatchObject({ status: 'open' });

    // A reload: the page reconnects with the last id it showed and gets only what came after.
    await t.request('POST', `/v1/conversations/${id}/messages`, { token: w.agent, body: { body: '¿Sigues ahí?' } });
    const resumed = await readEvents(url, { ...shopper, 'last-event-id': '2' }, (es) => messages(es).length >= 1);
    expect(messages(resumed.events).map((e) => e.data.seq)).toEqual([3]);
  });

  it('the agent’s stream sees the shopper write', async () => {
    const open = await t.request('POST', '/v1/conversations', { token: w.pub, body: { message: 'primero' } });
    const id = open.body.conversation.id;
    const live = readEvents(
      `${base}/v1/conversations/${id}/stream?after=1`,
      { authorization: `Bearer ${w.agent}` },
      (es) => messages(es).length >= 1,
    );
    await new Promise((r) => setTimeout(r, 300));
    await t.request('POST', `/v1/conversations/${id}/messages`, {
      token: w.pub,
      headers: { 'x-conversation-token': open.body.token },
      body: { body: 'segundo' },
    });
    expect(messages((await live).events).map((e) => e.data.body)).toEqual(['segundo']);
  });

  it('a stream is authorized like a read: no token, no stream', async () => {
    const open = await t.request('POST', '/v1/conversations', { token: w.pub, body: { message: 'x' } });
    const id = open.body.conversation.id;
    const res = await fetch(`${base}/v1/conversations/${id}/stream`, { headers: { authorization: `Bearer ${w.pub}` } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const anon = await fetch(`${base}/v1/conversations/${id}/stream`);
    expect(anon.status).toBe(401);
  });
});
