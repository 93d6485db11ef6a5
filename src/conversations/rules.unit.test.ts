import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { close, handOver, messageBody, post, queueFilter, take, MAX_BODY } from './rules.js';
import type { ConversationStatus } from './types.js';

describe('conversation rules', () => {
  it('given a waiting conversation, when an agent takes it, then it is open and theirs', () => {
    expect(take({ status: 'waiting', assignedTo: null }, 'usr_a')).toEqual({
      ok: true,
      status: 'open',
      assignedTo: 'usr_a',
      changed: true,
    });
  });
  it('given one taken by another agent, when an agent takes it, then conflict', () => {
    expect(take({ status: 'open', assignedTo: 'usr_b' }, 'usr_a')).toMatchObject({ ok: false, problem: 'conflict' });
  });
  it('given one already theirs, when the agent takes it again, then nothing changes', () => {
    expect(take({ status: 'open', assignedTo: 'usr_a' }, 'usr_a')).toMatchObject({ ok: true, changed: false });
  });
  it('given a waiting conversation, when an agent writes or hands over a cart, then it becomes theirs', () => {
    expect(post({ status: 'waiting', assignedTo: null }, 'agent', 'usr_a')).toMatchObject({ assignedTo: 'usr_a' });
    expect(handOver({ status: 'waiting', assignedTo: null }, 'usr_a')).toMatchObject({ status: 'open' });
  });
  it('given a shopper message, then the assignment stays as it was', () => {
    expect(post({ status: 'waiting', assignedTo: null }, 'shopper', null)).toMatchObject({
      status: 'waiting',
      changed: false,
    });
  });
  it('closing is final: nobody writes, takes or hands over in a closed conversation; closing again is a no-op', () => {
    fc.assert(
      fc.property(fc.constantFrom<'shopper' | 'agent'>('shopper', 'agent'), fc.option(fc.string()), (who, by) => {
        const closed = { status: 'closed' as ConversationStatus, assignedTo: by };
        expect(post(closed, who, 'usr_a')).toMatchObject({ ok: false, problem: 'invalid_transition' });
        expect(take(closed, 'usr_a').ok).toBe(false);
        expect(close(closed)).toMatchObject({ ok: true, changed: false });
      }),
    );
  });
  it('message bodies are trimmed, bounded and free of control characters', () => {
    expect(messageBody('  hola \r\n ¿talla 38?  ')).toEqual({ ok: true, body: 'hola \n ¿talla 38?' });
    expect(messageBody('   ')).toMatchObject({ ok: false });
    expect(messageBody('x'.repeat(MAX_BODY + 1))).toMatchObject({ ok: false });
    expect(messageBody('a\u0007b')).toMatchObject({ ok: false });
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), (s) => {
        const r = messageBody(s);
        if (!r.ok) return;
        expect(r.body.length).toBeGreaterThan(0);
        expect(r.body.length).toBeLessThanOrEqual(MAX_BODY);
      }),
    );
  });
  it('the queue: waiting oldest first for everyone, mine only the caller’s open ones', () => {
    expect(queueFilter('waiting', 'usr_a')).toEqual({ status: 'waiting', order: 'asc' });
    expect(queueFilter('mine', 'usr_a')).toEqual({ status: 'open', assignedTo: 'usr_a', order: 'desc' });
    expect(queueFilter('closed', 'usr_a')).toEqual({ status: 'closed', order: 'desc' });
  });
});
