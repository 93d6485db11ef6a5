import { describe, expect, it } from 'vitest';
import { parseLsn, ReadRouter } from './replica.js';
import { ConfigError, loadConfig } from '../config.js';
import type { Db } from './schema.js';

describe('read replica: WAL positions and configuration', () => {
  it('orders WAL positions across the 32-bit boundary of their two halves', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('0/FFFFFFFF') < parseLsn('1/0')).toBe(true);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(parseLsn('2/A') > parseLsn('1/FFFFFFFF')).toBe(true);
  });

  it('without a replica every read goes to the primary and writes record nothing', async () => {
    const primary = {} as Db;
    const r = new ReadRouter(primary, undefined);
    r.wrote('cart-1');
    expect(r.enabled).toBe(false);
    expect(await r.reader({ key: 'cart-1', writtenAt: new Date() })).toBe(primary);
    expect(await r.reader()).toBe(primary);
    expect(r.stats).toEqual({ replica: 0, ownWrite: 0, unhealthy: 0 });
  });

  it('sends reads to the primary until the first probe has found the replica healthy', async () => {
    const primary = {} as Db;
    const r = new ReadRouter(primary, {} as Db, { maxLagMs: 500, probeMs: 100 });
    expect(r.stickyMs).toBe(700); // the lag bound plus two probe periods
    expect(await r.reader()).toBe(primary);
    expect(r.stats.unhealthy).toBe(1);
  });

  it('reads DATABASE_READ_URL and OMNIA_READ_MAX_LAG_MS, refusing a replica of the embedded database', () => {
    const pgUrl = 'postgres://u@127.0.0.1:5432/omnia';
    const c = loadConfig({ DATABASE_URL: pgUrl, DATABASE_READ_URL: 'postgres://u@127.0.0.1:5433/omnia' });
    expect(c.databaseReadUrl).toBe('postgres://u@127.0.0.1:5433/omnia');
    expect(c.readMaxLagMs).toBe(1000);
    expect(loadConfig({}).databaseReadUrl).toBeUndefined();
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://u@h/db' })).toThrow(/needs DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: pgUrl, DATABASE_READ_URL: 'mysql://x' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: pgUrl, OMNIA_READ_MAX_LAG_MS: '0' })).toThrow(/OMNIA_READ_MAX_LAG_MS/);
  });
});
