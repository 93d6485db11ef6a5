/**
 * Webchat over HTTP (issue 19 point 3): a shopper opens a conversation with a publishable key or a
 * customer token, the token lets an anonymous shopper back in, agents work a queue, an agent hands a
 * cart over with the carts module's hand-off code, and the transcript is the person's: in their
 * export, gone with their erasure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { agentCart, setupChat, type ChatShop } from './fixtures.js';

let t: TestApp;
let w: ChatShop;
const tok = (token: string) => ({ 'x-conversation-token': token });

beforeAll(async () => {
  t = await startTestApp();
  w = await setupChat(t);
});
afterAll(async () => t?.close());

describe('webchat conversations', () => {
  it('an anonymous shopper opens one and only its token lets her back in', async () => {
    const open = await t.request('POST', '/v1/conversations', {
      token: w.pub,
      body: { name: 'Ana', email: w.ana.email, message: '¿Tenéis la camisa en la 38?' },
    });
    expect(open.status).toBe(201);
    expect(open.body.token).toMatch(/^[\w-]{32}$/);
    expect(open.body.conversation).toMatchObject({
      status: 'waiting',
      customer_id: w.ana.id,
      customer_verified: false,
      shopper_email: w.ana.email,
    });
    expect(open.body.messages).toEqual([expect.objectContaining({ seq: 1, author: 'shopper', kind: 'text' })]);
    const id = open.body.conversation.id;
    // The key is every shopper's: without the token the conversation does not exist for it.
    expect((await t.request('GET', `/v1/conversations/${id}`, { token: w.pub })).status).toBe(404);
    expect(
      (await t.request('GET', `/v1/conversations/${id}`, { token: w.pub, headers: tok('x'.repeat(32)) })).status,
    ).toBe(404);
    const again = await t.request('GET', `/v1/conversations/${id}`, { token: w.pub, headers: tok(open.body.token) });
    expect(again.status).toBe(200);
    expect(again.body.messages).toHaveLength(1);
    // Another channel's key with the right token still does not reach it.
    const otherPub = await t.apiKey('w-app', [], { kind: 'publishable' });
    expect(
      (await t.request('GET', `/v1/conversations/${id}`, { token: otherPub, headers: tok(open.body.token) })).status,
    ).toBe(404);
    // A publishable key lists nothing; a store associate never sees chats.
    expect((await t.request('GET', '/v1/conversations', { token: w.pub })).status).toBe(403);
    // Bad input is a problem with a stable type.
    const bad = await t.request('POST', '/v1/conversations', { token: w.pub, body: { message: '   ' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'message' }] });
  });

  it('agents work a queue: waiting, take (one agent only), mine, answer, close', async () => {
    const open = await t.request('POST', '/v1/conversations', { token: w.pub, body: { message: 'hola' } });
    const id = open.body.conversation.id;
    const head = tok(open.body.token);
    const waiting = await t.request('GET', '/v1/conversations?view=waiting', { token: w.agent });
    expect(waiting.status).toBe(200);
    expect(waiting.body.items.map((c: { id: string }) => c.id)).toContain(id);

    const taken = await t.request('POST', `/v1/conversations/${id}/take`, { token: w.agent });
    expect(taken.body).toMatchObject({ status: 'open', assigned_to: expect.stringMatching(/^usr_/) });
    const other = await t.request('POST', `/v1/conversations/${id}/take`, { token: w.agent2 });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('conflict');
    const mine = await t.request('GET', '/v1/conversations?view=mine', { token: w.agent });
    expect(mine.body.items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await t.request('GET', '/v1/conversations?view=mine', { token: w.agent2 })).body.items).toHaveLength(0);

    const answer = await t.request('POST', `/v1/conversations/${id}/messages`, {
      token: w.agent,
      body: { body: 'Hola, soy Marta. ¿En qué te ayudo?' },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ seq: 2, author: 'agent' });
    const reply = await t.request('POST', `/v1/conversations/${id}/messages`, {
      token: w.pub,
      headers: head,
      body: { body: 'Busco unos vaqueros' },
    });
    expect(reply.body).toMatchObject({ seq: 3, author: 'shopper', staff_id: null });
    // Resuming after seq 2 reads only what came after.
    const after = await t.request('GET', `/v1/conversations/${id}?after=2`, { token: w.pub, headers: head });
    expect(after.body.messages.map((m: { seq: number }) => m.seq)).toEqual([3]);

    const closed = await t.request('POST', `/v1/conversations/${id}/close`, { token: w.pub, headers: head });
    expect(closed.body.status).toBe('closed');
    const late = await t.request('POST', `/v1/conversations/${id}/messages`, {
      token: w.agent,
      body: { body: '¿Sigues ahí?' },
    });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('invalid_transition');
    expect((await t.request('POST', `/v1/conversations/${id}/close`, { token: w.agent })).status).toBe(200);
    const closedList = await t.request('GET', '/v1/conversations?view=closed', { token: w.agent });
    expect(closedList.body.items.map((c: { id: string }) => c.id)).toContain(id);
  });

  it('an agent hands a cart over and the shopper claims it with the code from the chat', async () => {
    const open = await t.request('POST', '/v1/conversations', {
      token: w.pub,
      body: { message: 'quiero dos camisas' },
    });
    const id = open.body.conversation.id;
    const cartId = await agentCart(t, w.agent, w.phoneChannel, w.shop.skus[0]!);
    // A shopper cannot hand carts over.
    const refused = await t.request('POST', `/v1/conversations/${id}/handover`, {
      token: w.pub,
      headers: tok(open.body.token),
      body: { cart_id: cartId },
    });
    expect(refused.status).toBe(403);
    const handed = await t.request('POST', `/v1/conversations/${id}/handover`, {
      token: w.agent,
      body: { cart_id: cartId },
    });
    expect(handed.status).toBe(201);
    expect(handed.body).toMatchObject({ kind: 'cart', author: 'agent', cart: { cart_id: cartId } });
    const read = await t.request('GET', `/v1/conversations/${id}`, { token: w.pub, headers: tok(open.body.token) });
    expect(read.body.conversation).toMatchObject({ status: 'open' });
    const code = read.body.messages.at(-1).cart.code;
    const claimed = await t.request('POST', '/v1/carts/claim', { token: w.pub, body: { code } });
    expect(claimed.status).toBe(200);
    expect(claimed.body.id).toBe(cartId);
    expect(claimed.body.lines).toEqual([expect.objectContaining({ sku: w.shop.skus[0], quantity: 2 })]);
    expect(claimed.body.totals.total).toBeGreaterThan(0);
  });

  it('a logged-in shopper’s conversation is hers: listed for her, hidden from other customers', async () => {
    const key = await t.apiKey('w-web', ['customers:authenticate']);
    const reg = async (email: string) =>
      (
        await t.request('POST', '/v1/auth/customer/register', {
          token: key,
          body: { email, password: 'a long enough secret' },
        })
      ).body.token as string;
    const bea = await reg('bea.w@example.com');
    const carl = await reg('carl.w@example.com');
    const open = await t.request('POST', '/v1/conversations', { token: bea, body: { message: 'mi pedido' } });
    expect(open.status).toBe(201);
    expect(open.body.conversation.customer_verified).toBe(true);
    const id = open.body.conversation.id;
    expect((await t.request('GET', `/v1/conversations/${id}`, { token: bea })).status).toBe(200);
    expect((await t.request('GET', `/v1/conversations/${id}`, { token: carl })).status).toBe(404);
    const list = await t.request('GET', '/v1/conversations', { token: bea });
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await t.request('GET', '/v1/conversations', { token: carl })).body.items).toEqual([]);
  });

  it('after a merge, the person’s transcripts include those of the profile merged into her', async () => {
    const email = 'dora.w@example.com';
    const dora = (await t.request('POST', '/v1/identify', { body: { identifiers: { email }, first_name: 'Dora' } }))
      .body.customer_id as string;
    const old = await t.request('POST', '/v1/conversations', { token: w.pub, body: { email, message: 'antes' } });
    expect(old.body.conversation.customer_id).toBe(dora);
    const survivor = (
      await t.request('POST', '/v1/identify', { body: { identifiers: { phone: '+34611222333' }, first_name: 'Dora' } })
    ).body.customer_id as string;
    const merged = await t.request('POST', `/v1/customers/${survivor}/merge`, { body: { customer_id: dora } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const list = await t.request('GET', `/v1/conversations?customer_id=${survivor}`, { token: w.agent });
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(old.body.conversation.id);
  });

  it('the transcript belongs to the 360: listed for the person, exported with her, erased with her', async () => {
    const open = await t.request('POST', '/v1/conversations', {
      token: w.pub,
      body: { email: w.ana.email, message: 'transcript to keep' },
    });
    const id = open.body.conversation.id;
    const forAna = await t.request('GET', `/v1/conversations?customer_id=${w.ana.id}`, { token: w.agent });
    expect(forAna.body.items.map((c: { id: string }) => c.id)).toContain(id);
    const exported = await t.request('GET', `/v1/customers/${w.ana.id}/export`);
    expect(exported.status).toBe(200);
    const chats = exported.body.conversations as { conversation: { id: string }; messages: { body: string }[] }[];
    const mine = chats.find((c) => c.conversation.id === id)!;
    expect(mine.messages.map((m) => m.body)).toContain('transcript to keep');
    expect(JSON.stringify(exported.body)).not.toContain('token_hash');

    expect((await t.request('DELETE', `/v1/customers/${w.ana.id}`)).status).toBe(200);
    await t.omnia.dispatcher.drain();
    expect((await t.request('GET', `/v1/conversations/${id}`, { token: w.agent })).status).toBe(404);
    const left = await t.database.db
      .selectFrom('conversation_messages')
      .select('body')
      .where('conversation_id', '=', id)
      .execute();
    expect(left).toEqual([]);
  });

  // Last: it spends this address's opening allowance for the rest of the file.
  it('opening is throttled per address: a flood gets 429 rate_limited', async () => {
    let refused: { status: number; body: any } | undefined;
    for (let i = 0; i < 40 && !refused; i++) {
      const r = await t.request('POST', '/v1/conversations', { token: w.pub, body: { message: `flood ${i}` } });
      if (r.status !== 201) refused = r;
    }
    expect(refused?.status).toBe(429);
    expect(refused?.body.code).toBe('rate_limited');
  });
});
