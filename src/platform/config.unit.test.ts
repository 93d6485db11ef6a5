import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

/** The problems loadConfig names for `env` (the test fails when it accepts it). */
function refusal(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('settings once read by modules, now in loadConfig', () => {
  it('has the defaults the modules had', () => {
    const c = loadConfig({});
    expect(c.inventoryCoalesce).toBe(true);
    expect(c.paymentTimeoutMs).toBeUndefined();
    expect(c.testPayments).toEqual({ latencyMs: 0, hangAfterAuthMs: 0 });
    expect(c.mail).toEqual({ smtpUrl: undefined, from: undefined });
  });

  it('reads them from the environment', () => {
    const c = loadConfig({
      OMNIA_INVENTORY_COALESCE: '0',
      OMNIA_PAYMENT_TIMEOUT_MS: '1000',
      OMNIA_TEST_PAYMENT_LATENCY_MS: '300',
      OMNIA_TEST_PAYMENT_HANG_AFTER_AUTH_MS: '600000',
      OMNIA_SMTP_URL: 'smtp://127.0.0.1:2525',
      OMNIA_MAIL_FROM: 'Shop <shop@example.com>',
    });
    expect(c.inventoryCoalesce).toBe(false);
    expect(c.paymentTimeoutMs).toBe(1000);
    expect(c.testPayments).toEqual({ latencyMs: 300, hangAfterAuthMs: 600000 });
    expect(c.mail).toEqual({ smtpUrl: 'smtp://127.0.0.1:2525', from: 'Shop <shop@example.com>' });
    expect(loadConfig({ OMNIA_INVENTORY_COALESCE: 'true' }).inventoryCoalesce).toBe(true);
  });

  it('reads the transaction-guard trace switch (off by default) and refuses anything but 1/0/true/false', () => {
    expect(loadConfig({}).txGuardTrace).toBe(false);
    expect(loadConfig({ OMNIA_TX_GUARD_TRACE: '1' }).txGuardTrace).toBe(true);
    expect(loadConfig({ OMNIA_TX_GUARD_TRACE: 'false' }).txGuardTrace).toBe(false);
    expect(refusal({ OMNIA_TX_GUARD_TRACE: 'yes' })).toEqual(['OMNIA_TX_GUARD_TRACE must be 1 or 0, got "yes"']);
  });

  it('refuses bad values, naming each, instead of falling back silently', () => {
    const problems = refusal({
      OMNIA_INVENTORY_COALESCE: 'off',
      OMNIA_PAYMENT_TIMEOUT_MS: 'soon',
      OMNIA_TEST_PAYMENT_LATENCY_MS: '-1',
      OMNIA_SMTP_URL: 'mail.example.com',
    });
    expect(problems).toHaveLength(4);
    for (const name of [
      'OMNIA_INVENTORY_COALESCE',
      'OMNIA_PAYMENT_TIMEOUT_MS',
      'OMNIA_TEST_PAYMENT_LATENCY_MS',
      'OMNIA_SMTP_URL',
    ])
      expect(problems.some((p) => p.startsWith(name))).toBe(true);
  });

  it('reads the process role: all by default; api and worker only with PostgreSQL', () => {
    expect(loadConfig({}).role).toBe('all');
    const pgUrl = 'postgres://x@127.0.0.1/omnia';
    expect(loadConfig({ OMNIA_ROLE: 'api', DATABASE_URL: pgUrl }).role).toBe('api');
    expect(loadConfig({ DATABASE_URL: pgUrl }, { role: 'worker' }).role).toBe('worker');
    expect(() => loadConfig({ OMNIA_ROLE: 'worker' })).toThrow(/OMNIA_ROLE=worker needs DATABASE_URL/);
    expect(() => loadConfig({ OMNIA_ROLE: 'cron', DATABASE_URL: pgUrl })).toThrow(/OMNIA_ROLE must be one of/);
  });

  it('reads how many chunks of a planning run go at once: 2 by default, at most the pool less one', () => {
    expect(loadConfig({}).planningWorkers).toBe(2);
    // A pool too small for the default takes what it can rather than refusing to start.
    expect(loadConfig({ OMNIA_DB_POOL: '2' }).planningWorkers).toBe(1);
    expect(loadConfig({ OMNIA_DB_POOL: '1' }).planningWorkers).toBe(1);
    expect(loadConfig({ OMNIA_PLANNING_WORKERS: '3', OMNIA_DB_POOL: '8' }).planningWorkers).toBe(3);
    expect(() => loadConfig({ OMNIA_PLANNING_WORKERS: '4', OMNIA_DB_POOL: '4' })).toThrow(/OMNIA_PLANNING_WORKERS/);
    expect(() => loadConfig({ OMNIA_PLANNING_WORKERS: '0' })).toThrow(/OMNIA_PLANNING_WORKERS/);
  });

  it('reads how a planning run computes its chunks on PostgreSQL: copy by default, or sql', () => {
    expect(loadConfig({}).planningCompute).toBe('copy');
    expect(loadConfig({ OMNIA_PLANNING_COMPUTE: 'sql' }).planningCompute).toBe('sql');
    expect(() => loadConfig({ OMNIA_PLANNING_COMPUTE: 'process' })).toThrow(
      /OMNIA_PLANNING_COMPUTE must be copy or sql/,
    );
  });

  it('batches checkouts of a SKU under pressure unless OMNIA_CHECKOUT_BATCH says otherwise', () => {
    expect(loadConfig({}).checkoutBatch).toBe('hot');
    expect(loadConfig({ OMNIA_CHECKOUT_BATCH: '1' }).checkoutBatch).toBe('hot');
    expect(loadConfig({ OMNIA_CHECKOUT_BATCH: 'all' }).checkoutBatch).toBe('all');
    expect(loadConfig({ OMNIA_CHECKOUT_BATCH: '0' }).checkoutBatch).toBe('off');
    expect(() => loadConfig({ OMNIA_CHECKOUT_BATCH: 'yes' })).toThrow(/OMNIA_CHECKOUT_BATCH must be 1, 0 or all/);
  });
  it('prepares repeated statements on PostgreSQL unless OMNIA_PG_PREPARE is 0', () => {
    expect(loadConfig({}).pgPrepare).toBe(true);
    expect(loadConfig({ OMNIA_PG_PREPARE: '0' }).pgPrepare).toBe(false);
    expect(() => loadConfig({ OMNIA_PG_PREPARE: 'no' })).toThrow(/OMNIA_PG_PREPARE must be 1 or 0/);
  });

  it('reads how many days settled events are kept: 30 by default, 0 for ever', () => {
    expect(loadConfig({}).eventsKeepDays).toBe(30);
    expect(loadConfig({ OMNIA_EVENTS_KEEP_DAYS: '0' }).eventsKeepDays).toBe(0);
    expect(loadConfig({ OMNIA_EVENTS_KEEP_DAYS: '400' }).eventsKeepDays).toBe(400);
    expect(() => loadConfig({ OMNIA_EVENTS_KEEP_DAYS: '-1' })).toThrow(/OMNIA_EVENTS_KEEP_DAYS/);
    expect(() => loadConfig({ OMNIA_EVENTS_KEEP_DAYS: '7d' })).toThrow(/OMNIA_EVENTS_KEEP_DAYS/);
  });

  it('reads how many finished planning runs keep their output: 10 by default, 0 for all', () => {
    expect(loadConfig({}).planningKeepRuns).toBe(10);
    expect(loadConfig({ OMNIA_PLANNING_KEEP_RUNS: '0' }).planningKeepRuns).toBe(0);
    expect(() => loadConfig({ OMNIA_PLANNING_KEEP_RUNS: '-1' })).toThrow(/OMNIA_PLANNING_KEEP_RUNS/);
    expect(() => loadConfig({ OMNIA_PLANNING_KEEP_RUNS: 'all' })).toThrow(/OMNIA_PLANNING_KEEP_RUNS/);
  });
});
