import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { lazyChildLogger } from './lazy-logger.js';

describe("a request's lazy child logger", () => {
  it('makes the pino child only when something logs, and logs with its bindings', () => {
    const lines: Record<string, unknown>[] = [];
    const root = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
    let children = 0;
    const parent = new Proxy(root, {
      get: (target, prop, receiver) =>
        prop === 'child'
          ? (...args: Parameters<typeof root.child>) => (children++, target.child(...args))
          : Reflect.get(target, prop, receiver),
    }) as unknown as FastifyBaseLogger;
    const log = lazyChildLogger(parent, { reqId: 'req_1' }, {});
    expect(log.level).toBe('info');
    // below the level: nothing to write, so no child is made (the error handler's debug of each 4xx)
    log.debug({ problem: 'forbidden' }, 'below the level');
    log.trace('below the level');
    expect(children).toBe(0);
    const quiet = lazyChildLogger(parent, { reqId: 'req_2' }, {});
    expect(quiet.level).toBe('info');
    expect(children).toBe(0);
    log.error({ problem: 'x' }, 'went wrong');
    expect(children).toBe(1);
    expect(lines).toEqual([expect.objectContaining({ reqId: 'req_1', problem: 'x', msg: 'went wrong', level: 50 })]);
    const nested = log.child({ extra: 1 });
    nested.warn('more');
    expect(lines[1]).toEqual(expect.objectContaining({ reqId: 'req_1', extra: 1, msg: 'more' }));
    expect(lines).toHaveLength(2);
  });

  it("logs below its parent's level when the route's options set a lower one", () => {
    const lines: Record<string, unknown>[] = [];
    const root = pino({ level: 'warn' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
    const log = lazyChildLogger(root, { reqId: 'req_3' }, { level: 'debug' });
    log.trace('below the route level');
    log.debug({ problem: 'not_found' }, 'at the route level');
    expect(lines).toEqual([expect.objectContaining({ reqId: 'req_3', problem: 'not_found', level: 20 })]);
    const silent = lazyChildLogger(root, { reqId: 'req_4' }, { level: 'silent' });
    silent.fatal('never written');
    expect(lines).toHaveLength(1);
  });

  it("follows its parent's level when that changes after the request's logger was made", () => {
    const lines: Record<string, unknown>[] = [];
    const root = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
    const log = lazyChildLogger(root, { reqId: 'req_5' }, {});
    root.level = 'debug';
    log.debug('now written');
    expect(lines).toEqual([expect.objectContaining({ reqId: 'req_5', msg: 'now written', level: 20 })]);
  });
});
