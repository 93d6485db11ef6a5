import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decide,
  decidesOnLines,
  LINE_COMMANDS,
  ORDER_STATUSES,
  TRANSITIONS,
  type CommandType,
  type OrderCommand,
  type OrderState,
  type OrderStatus,
} from './rules.js';

const lines = [
  { id: 'l1', quantity: 2, fulfilled_quantity: 0 },
  { id: 'l2', quantity: 1, fulfilled_quantity: 0 },
];
const at = (status: OrderStatus, hold_reason: string | null = null): OrderState => ({ status, hold_reason, lines });
const COMMANDS: Record<CommandType, OrderCommand> = {
  authorise: { type: 'authorise' },
  confirm: { type: 'confirm' },
  hold: { type: 'hold', reason: 'fraud review' },
  release: { type: 'release' },
  fulfil: { type: 'fulfil', lines: [{ line_id: 'l2', quantity: 1 }] },
  complete: { type: 'complete' },
  cancel: { type: 'cancel' },
  cancel_line: { type: 'cancel_line', line_id: 'l1', quantity: 1 },
};

describe('order state machine', () => {
  // Every (status, command) pair not in the table is refused — enumerated, not sampled.
  for (const status of ORDER_STATUSES) {
    for (const [type, cmd] of Object.entries(COMMANDS) as [CommandType, OrderCommand][]) {
      if (TRANSITIONS[status].includes(type)) continue;
      it(`refuses ${type} when ${status}`, () => {
        const d = decide(at(status), cmd);
        expect(d.ok).toBe(false);
        if (!d.ok) expect(d.reason).toContain(status);
      });
    }
  }

  it('Given an order waiting for its payment, When the payment is authorised, Then it is placed; declined, it is cancelled', () => {
    expect(decide(at('payment_pending'), { type: 'authorise' })).toMatchObject({
      ok: true,
      next: { status: 'placed' },
    });
    expect(decide(at('payment_pending'), { type: 'cancel', reason: 'card_declined' })).toMatchObject({
      ok: true,
      next: { status: 'cancelled' },
    });
    // Unpaid, it cannot be confirmed or fulfilled.
    expect(decide(at('payment_pending'), { type: 'confirm' }).ok).toBe(false);
    expect(decide(at('payment_pending'), COMMANDS.fulfil).ok).toBe(false);
  });

  it('walks the happy path placed → confirmed → partly → fully fulfilled → completed', () => {
    let s = at('placed');
    const step = (cmd: OrderCommand) => {
      const d = decide(s, cmd);
      if (!d.ok) throw new Error(d.reason);
      s = d.next;
      return s.status;
    };
    expect(step({ type: 'confirm' })).toBe('confirmed');
    expect(step({ type: 'fulfil', lines: [{ line_id: 'l1', quantity: 1 }] })).toBe('partially_fulfilled');
    expect(
      step({
        type: 'fulfil',
        lines: [
          { line_id: 'l1', quantity: 1 },
          { line_id: 'l2', quantity: 1 },
        ],
      }),
    ).toBe('fulfilled');
    expect(step({ type: 'complete' })).toBe('completed');
  });

  it('admits only release and cancel while on hold', () => {
    const held = at('confirmed', 'fraud review');
    expect(decide(held, COMMANDS.fulfil).ok).toBe(false);
    expect(decide(held, COMMANDS.hold).ok).toBe(false);
    expect(decide(at('placed', 'x'), COMMANDS.confirm).ok).toBe(false);
    expect(decide(held, COMMANDS.release)).toEqual({ ok: true, next: at('confirmed') });
    expect(decide(held, COMMANDS.cancel)).toMatchObject({ ok: true, next: { status: 'cancelled', hold_reason: null } });
    expect(decide(at('confirmed'), COMMANDS.release).ok).toBe(false);
    expect(decide(at('confirmed'), { type: 'hold', reason: ' ' }).ok).toBe(false);
  });

  it('refuses over-fulfilment, unknown lines and bad quantities', () => {
    expect(decide(at('confirmed'), { type: 'fulfil', lines: [{ line_id: 'l2', quantity: 2 }] })).toMatchObject({
      ok: false,
      field: 'lines/0/quantity',
    });
    expect(decide(at('confirmed'), { type: 'fulfil', lines: [{ line_id: 'zz', quantity: 1 }] })).toMatchObject({
      ok: false,
      field: 'lines/0/line_id',
    });
    expect(decide(at('confirmed'), { type: 'fulfil', lines: [{ line_id: 'l1', quantity: 0 }] }).ok).toBe(false);
    expect(decide(at('confirmed'), { type: 'fulfil', lines: [] }).ok).toBe(false);
  });

  it('never fulfils more than ordered, whatever the sequence of commands', () => {
    const cmd = fc.oneof(
      fc.constantFrom<OrderCommand>(
        COMMANDS.confirm,
        COMMANDS.hold,
        COMMANDS.release,
        COMMANDS.complete,
        COMMANDS.cancel,
      ),
      fc.record({
        type: fc.constant('fulfil' as const),
        lines: fc.array(
          fc.record({ line_id: fc.constantFrom('l1', 'l2'), quantity: fc.integer({ min: -1, max: 3 }) }),
          { maxLength: 3 },
        ),
      }),
    );
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 30 }), (cmds) => {
        let s = at('placed');
        for (const c of cmds) {
          const d = decide(s, c);
          if (d.ok) s = d.next;
        }
        for (const l of s.lines) expect(l.fulfilled_quantity).toBeLessThanOrEqual(l.quantity);
        if (s.status === 'fulfilled' || s.status === 'completed')
          expect(s.lines.every((l) => l.fulfilled_quantity === l.quantity)).toBe(true);
      }),
    );
  });
});

describe('which decisions read the lines (apply skips the read for the others)', () => {
  const line = fc.record({
    id: fc.constantFrom('l1', 'l2', 'l3'),
    quantity: fc.integer({ min: 0, max: 5 }),
    fulfilled_quantity: fc.integer({ min: 0, max: 5 }),
  });
  it('every other command decides the same with any lines or none, and keeps the lines it was given', () => {
    const others = (Object.keys(COMMANDS) as CommandType[]).filter((t) => !decidesOnLines(t));
    fc.assert(
      fc.property(
        fc.constantFrom(...ORDER_STATUSES),
        fc.option(fc.constantFrom('fraud review', 'address check'), { nil: null }),
        fc.constantFrom(...others),
        fc.array(line, { maxLength: 4 }),
        (status, hold, type, someLines) => {
          const withLines = decide({ status, hold_reason: hold, lines: someLines }, COMMANDS[type]);
          const without = decide({ status, hold_reason: hold, lines: [] }, COMMANDS[type]);
          const strip = (d: typeof withLines) => (d.ok ? { ...d, next: { ...d.next, lines: [] } } : d);
          expect(strip(withLines)).toEqual(strip(without));
          if (withLines.ok) expect(withLines.next.lines).toEqual(someLines);
        },
      ),
    );
  });
  it('fulfil and cancel_line are the line commands', () => {
    expect([...LINE_COMMANDS].sort()).toEqual(['cancel_line', 'fulfil']);
  });
  // paymentAuthorised takes the lines checkout wrote instead of reading them: true only while an order
  // waiting for its payment admits no command that changes lines.
  it('an order waiting for its payment admits no line command', () => {
    expect(TRANSITIONS.payment_pending.filter((t) => decidesOnLines(t))).toEqual([]);
  });
});
