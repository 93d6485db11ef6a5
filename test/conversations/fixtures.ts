/** Test data for webchat: a shop with a web channel, its publishable key, agents and a known person. */
import type { TestApp } from '../helpers/app.js';
import { setupShop, type Shop } from '../checkout/fixtures.js';

export interface ChatShop {
  shop: Shop;
  pub: string;
  agent: string;
  agent2: string;
  phoneChannel: string;
  /** A person known by e-mail (identified on the web channel). */
  ana: { id: string; email: string };
}

export async function setupChat(t: TestApp, prefix = 'w'): Promise<ChatShop> {
  const shop = await setupShop(t, { prefix, promotions: 0 });
  const pub = await t.apiKey(`${prefix}-web`, [], { kind: 'publishable' });
  const s = t.omnia.services;
  const login = async (email: string) => {
    await s.auth.createStaff({ email, password: 'correct horse battery', role: 'agent' });
    return (await s.auth.loginStaff(email, 'correct horse battery')).token;
  };
  const agent = await login(`agent-${prefix}@test.omnia`);
  const agent2 = await login(`agent2-${prefix}@test.omnia`);
  const email = `ana.${prefix}@example.com`;
  const who = await t.request('POST', '/v1/identify', {
    body: { identifiers: { email }, first_name: 'Ana', last_name: 'García' },
  });
  const phoneChannel = (await s.network.channel(`${prefix}-phone`))!.id;
  return { shop, pub, agent, agent2, phoneChannel, ana: { id: who.body.customer_id, email } };
}

/** An agent's cart in the contact-center channel holding one unit of `sku`. */
export async function agentCart(t: TestApp, agent: string, channel: string, sku: string): Promise<string> {
  const cart = await t.request('POST', '/v1/carts', { token: agent, body: { channel } });
  await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token: agent, body: { sku, quantity: 2 } });
  return cart.body.id;
}

/** Reads server-sent events from a fetch stream until `until` says enough (or the time is up). */
export async function readEvents(
  url: string,
  headers: Record<string, string>,
  until: (events: { event: string; id?: string; data: any }[]) => boolean,
  ms = 8000,
): Promise<{ status: number; events: { event: string; id?: string; data: any }[] }> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), ms);
  const res = await fetch(url, { headers, signal: ctl.signal });
  const events: { event: string; id?: string; data: any }[] = [];
  if (!res.ok || !res.body) {
    clearTimeout(timer);
    return { status: res.status, events };
  }
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  try {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev: { event: string; id?: string; data: any } = { event: 'message', data: undefined };
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) ev.event = line.slice(7);
          else if (line.startsWith('id: ')) ev.id = line.slice(4);
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        if (data) events.push({ ...ev, data: JSON.parse(data) });
      }
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  } finally {
    clearTimeout(timer);
    ctl.abort();
  }
  return { status: res.status, events };
}
