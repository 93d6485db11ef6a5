import { describe, expect, it } from 'vitest';
import { FifoAdmission } from './admission.js';

/** A promise and the function that settles it, so a test decides when each admitted call ends. */
function gate() {
  let open!: () => void;
  const done = new Promise<void>((r) => (open = r));
  return { done, open };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('FifoAdmission (the checkout transaction queue)', () => {
  it('admits at most `limit` at once and the rest in arrival order', async () => {
    const q = new FifoAdmission(2);
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, gate);
    const runs = gates.map((g, i) =>
      q.run(async () => {
        started.push(i);
        await g.done;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]!.open();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.open();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const g of gates) g.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
  });

  it('queues a newcomer behind the calls already waiting, even as a slot is being freed', async () => {
    const q = new FifoAdmission(1);
    const order: string[] = [];
    const first = gate();
    const a = q.run(async () => (order.push('a'), first.done));
    const b = q.run(async () => void order.push('b'));
    await tick();
    first.open();
    // arrives in the same turn as the slot is freed: it must still queue behind b
    const c = q.run(async () => void order.push('c'));
    await Promise.all([a, b, c]);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('frees the slot when the admitted call throws', async () => {
    const q = new FifoAdmission(1);
    await expect(q.run(async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(await q.run(async () => 'next')).toBe('next');
  });
});
