import { describe, expect, it } from 'vitest';
import { LiveHub } from './live.js';

describe('live hub', () => {
  it('given readers of two conversations, a poll wakes only those whose version moved; gone ones wake too', async () => {
    const versions = new Map([
      ['cnv_a', 3],
      ['cnv_b', 7],
    ]);
    const hub = new LiveHub(
      async (ids) => new Map(ids.filter((i) => versions.has(i)).map((i) => [i, versions.get(i)!])),
      60_000,
    );
    const woke: string[] = [];
    const offA = hub.subscribe('cnv_a', 3, () => woke.push('a'));
    const offB = hub.subscribe('cnv_b', 7, () => woke.push('b'));
    await hub.poll();
    expect(woke).toEqual([]);
    versions.set('cnv_b', 8);
    await hub.poll();
    expect(woke).toEqual(['b']);
    await hub.poll(); // seen: no second wake for the same version
    expect(woke).toEqual(['b']);
    versions.delete('cnv_a'); // erased: its reader is woken to find it gone
    await hub.poll();
    expect(woke).toEqual(['b', 'a']);
    offA();
    offB();
    expect(hub.followed).toBe(0);
  });

  it('a local change wakes every reader of that conversation at once, none of the others', () => {
    const hub = new LiveHub(async () => new Map(), 60_000);
    const woke: string[] = [];
    const off = [
      hub.subscribe('cnv_a', 0, () => woke.push('a1')),
      hub.subscribe('cnv_a', 0, () => woke.push('a2')),
      hub.subscribe('cnv_b', 0, () => woke.push('b')),
    ];
    hub.touched('cnv_a');
    expect(woke).toEqual(['a1', 'a2']);
    off.forEach((f) => f());
    hub.touched('cnv_a');
    expect(woke).toEqual(['a1', 'a2']);
  });

  it('a database that is away for a moment costs a poll, not the readers', async () => {
    const hub = new LiveHub(async () => Promise.reject(new Error('connection refused')), 60_000);
    const off = hub.subscribe('cnv_a', 0, () => undefined);
    await expect(hub.poll()).resolves.toBeUndefined();
    expect(hub.followed).toBe(1);
    off();
  });
});
