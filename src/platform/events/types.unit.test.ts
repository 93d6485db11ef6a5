import { describe, expect, it } from 'vitest';
import { EventBus } from './bus.js';
import type { DomainEvent } from './types.js';
import '../../events-catalog.js';

/** The typing is checked by `tsc` (these files are type-checked): each @ts-expect-error must stay an error. */
describe('typed events', () => {
  it('pairs each event type with its payload', () => {
    const ok: DomainEvent = { type: 'channel.created', aggregateId: 'chn_1', payload: { id: 'chn_1', code: 'web' } };
    // @ts-expect-error an undeclared event type
    const unknownType: DomainEvent = { type: 'channel.exploded', payload: {} };
    // @ts-expect-error a declared type with another type's payload
    const wrongPayload: DomainEvent = { type: 'channel.created', payload: { skus: ['a'] } };
    expect([ok, unknownType, wrongPayload]).toHaveLength(3);
  });

  it('types subscribers by the pattern they subscribe to', () => {
    const bus = new EventBus();
    bus.subscribe('order.placed', async (e) => {
      const total: { amount: number; currency: string } = e.data.total;
      expect(total).toBeDefined();
    });
    bus.subscribe('channel.*', async (e) => {
      const t: 'channel.created' | 'channel.updated' = e.type;
      expect(t).toBeDefined();
    });
    // @ts-expect-error not an event type nor a pattern
    bus.subscribe('no-such-event', async () => undefined);
    expect(bus.consumerNamesFor('order.placed')).toEqual(['order.placed#1']);
    expect(bus.consumerNamesFor('channel.updated')).toEqual(['channel.*#1']);
  });
});
