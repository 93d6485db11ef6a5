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
    log.debug('below the level');
    expect(children).toBe(1);
    const quiet = lazyChildLogger(parent, { reqId: 'req_2' }, {});
    expect(quiet.level).toBe('info');
    expect(children).toBe(1);
    log.error({ problem: 'x' }, 'went wrong');
    expect(lines).toEqual([expect.objectContaining({ reqId: 'req_1', problem: 'x', msg: 'went wrong', level: 50 })]);
    const nested = log.child({ extra: 1 });
    nested.warn('more');
    expect(lines[1]).toEqual(expect.objectContaining({ reqId: 'req_1', extra: 1, msg: 'more' }));
  });
});
