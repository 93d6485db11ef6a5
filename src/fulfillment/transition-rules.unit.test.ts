/** Given/When/Then for the policy parts of a transition: short picks, reject reasons, the event named. */
import { describe, expect, it } from 'vitest';
import { afterWrongTry, checkPickupCode, eventOf, PICKUP_MAX_TRIES, planPick, rejectReasonOf } from './rules.js';

const task = [
  { line_id: 'l1', sku: 'A', quantity: 2 },
  { line_id: 'l2', sku: 'B', quantity: 1 },
];
const selling = { sellsAtPick: true, holdsReservation: true };

describe('planPick (what a pick report does to the stock)', () => {
  it('given no report, when picked, then the whole task is picked', () => {
    expect(planPick(task, undefined, selling)).toEqual({ kind: 'whole' });
  });
  it('given every unit found, when picked, then it is not a short pick', () => {
    expect(
      planPick(
        task,
        [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
        ],
        selling,
      ),
    ).toEqual({ kind: 'whole' });
  });
  it('given more units than reserved, when picked, then the report is refused', () => {
    expect(planPick(task, [{ sku: 'A', quantity: 3 }], selling)).toMatchObject({ kind: 'refused' });
  });
  it('given a SKU not in the task, when picked, then the report is refused', () => {
    expect(planPick(task, [{ sku: 'Z', quantity: 1 }], selling)).toMatchObject({ kind: 'refused' });
  });
  it('given nothing found, when picked, then the report is refused (reject the task instead)', () => {
    expect(planPick(task, [{ sku: 'A', quantity: 0 }], selling)).toEqual({
      kind: 'refused',
      reason: 'nothing picked: reject the task instead',
    });
  });
  it('given a pick that sells, when some units are missing, then the found are sold and the rest sourced elsewhere', () => {
    expect(planPick(task, [{ sku: 'A', quantity: 1 }], selling)).toEqual({
      kind: 'short',
      picked: [{ line_id: 'l1', sku: 'A', quantity: 1 }],
      missing: [
        { line_id: 'l1', sku: 'A', quantity: 1 },
        { line_id: 'l2', sku: 'B', quantity: 1 },
      ],
      stock: 'sell_found',
    });
  });
  it('given goods travelling to a collect store, when some units are missing, then only the found stay held at the source', () => {
    expect(planPick(task, [{ sku: 'B', quantity: 1 }], { sellsAtPick: false, holdsReservation: true })).toMatchObject({
      kind: 'short',
      picked: [{ sku: 'B', quantity: 1 }],
      stock: 'hold_found_at_source',
    });
  });
  it('given a task without a reservation, when short, then there is no stock to settle', () => {
    expect(planPick(task, [{ sku: 'B', quantity: 1 }], { sellsAtPick: true, holdsReservation: false })).toMatchObject({
      kind: 'short',
      stock: 'none',
    });
  });
});

describe('rejectReasonOf', () => {
  it('given the SLA job, then the reason is the SLA', () => {
    expect(rejectReasonOf('timeout', 'ignored')).toBe('not accepted within the SLA');
  });
  it('given a location rejecting with a blank reason, then the default reason', () => {
    expect(rejectReasonOf('reject', '  ')).toBe('rejected by the location');
    expect(rejectReasonOf('reject', ' no staff ')).toBe('no staff');
  });
  it('given any other action, then no reason', () => {
    expect(rejectReasonOf('ship', 'x')).toBeUndefined();
  });
});

describe('eventOf', () => {
  it('given a shipment to a collect store, then in_transit; a carrier shipment, then shipped', () => {
    expect(eventOf('ship', 'in_transit')).toBe('fulfillment.in_transit');
    expect(eventOf('ship', 'shipped')).toBe('fulfillment.shipped');
  });
  it('given the SLA job, then the task is reported rejected; ready and transfer_received name no event of their own', () => {
    expect(eventOf('timeout', 'rejected')).toBe('fulfillment.rejected');
    expect(eventOf('ready', 'ready_for_pickup')).toBeUndefined();
    expect(eventOf('transfer_received', 'ready_for_pickup')).toBeUndefined();
  });
});

describe('pickup codes at handover', () => {
  it('given an unlocked task, when the right code is shown, then it matches (spaces around it ignored)', () => {
    expect(checkPickupCode({ code: '123456', locked: false }, ' 123456 ')).toBe('ok');
  });
  it('given an unlocked task, when a wrong or no code is shown, then the try counts', () => {
    expect(checkPickupCode({ code: '123456', locked: false }, '654321')).toBe('wrong');
    expect(checkPickupCode({ code: '123456', locked: false }, undefined)).toBe('wrong');
    expect(checkPickupCode({ code: null, locked: false }, '123456')).toBe('wrong');
  });
  it('given a locked task, when even the right code is shown, then it is refused as locked', () => {
    expect(checkPickupCode({ code: '123456', locked: true }, '123456')).toBe('locked');
  });
  it('given wrong tries counted, then the tries left count down and the last one locks', () => {
    expect(afterWrongTry(1)).toEqual({ locked: false, attempts_left: PICKUP_MAX_TRIES - 1 });
    expect(afterWrongTry(PICKUP_MAX_TRIES - 1)).toEqual({ locked: false, attempts_left: 1 });
    expect(afterWrongTry(PICKUP_MAX_TRIES)).toEqual({ locked: true, attempts_left: 0 });
  });
});
