import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOmnia } from '../../src/server.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/log.js';
import { connect } from '../../src/platform/db/connect.js';
import { createTestDatabase, onPostgres } from '../helpers/db.js';

/** An event committed before a restart is delivered after it: the outbox is durable. */
describe('outbox survives a restart', () => {
  it('dispatches events written by a process that stopped before delivering them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-outbox-'));
    const pgDb = onPostgres ? await createTestDatabase() : undefined;
    const config = {
      ...loadConfig({ LOG_LEVEL: 'silent', OMNIA_DATA_DIR: dir, ...(pgDb?.url ? { DATABASE_URL: pgDb.url } : {}) }),
      jobs: false,
    };
    const logger = createLogger('silent');
    try {
      const first = await createOmnia({ config, logger });
      await first.services.network.createChannel({ code: 'web', type: 'web', name: 'Web' });
      await first.close(); // never dispatched

      const second = await createOmnia({ config, logger });
      const seen: string[] = [];
      second.ctx.bus.subscribe('channel.created', async (e) => void seen.push(String(e.data.code)));
      expect(await second.dispatcher.drain()).toBe(1);
      expect(seen).toEqual(['web']);
      await second.close();

      // and a third start finds nothing left to deliver
      const third = await createOmnia({ config, logger });
      expect(await third.dispatcher.drain()).toBe(0);
      await third.close();
    } finally {
      await pgDb?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to open an embedded data folder that another process holds', async () => {
    if (onPostgres) return; // the embedded folder lock is a PGlite matter; the PostgreSQL pass covers the rest
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-lock-'));
    const { spawn } = await import('node:child_process');
    // a child process holds the folder (our own pid would count as ourselves)
    const child = spawn(process.execPath, [
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'omnia.lock'))}, JSON.stringify({pid: process.pid, command: 'omnia serve', url: 'http://127.0.0.1:1', since: ''})); setTimeout(()=>{}, 20000)`,
    ]);
    try {
      // the child holds the folder once its lock file is there (a fixed wait lost the race on a loaded machine)
      const lockFile = path.join(dir, 'omnia.lock');
      const written = () => {
        try {
          return typeof JSON.parse(fs.readFileSync(lockFile, 'utf8')).pid === 'number';
        } catch {
          return false; // not there yet, or half-written
        }
      };
      for (let waited = 0; !written(); waited += 50) {
        if (waited > 15_000) throw new Error('the child process never wrote its lock file');
        await new Promise((r) => setTimeout(r, 50));
      }
      await expect(connect({ dataDir: dir })).rejects.toThrow(
        /in use by process \d+ \(omnia serve at http:\/\/127.0.0.1:1\)/,
      );
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
