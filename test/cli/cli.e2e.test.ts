import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { omnia, startServer, waitExit } from '../helpers/cli.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.js';

/**
 * The CLI as scripts use it: bootstrap an admin and a channel key without a browser, machine-readable
 * output, exit codes, the embedded-folder lock, graceful shutdown.
 */
describe('omnia CLI', () => {
  let dir: string;
  let db: TestDatabase | undefined;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-cli-'));
    db = onPostgres ? await createTestDatabase() : undefined;
    env = db?.url ? { DATABASE_URL: db.url } : { OMNIA_DATA_DIR: dir };
  });
  afterAll(async () => {
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints usage, per-command help, and exit code 2 for unknown commands and options', () => {
    const help = omnia(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/create-admin/);
    expect(omnia(['doctor', '--help']).stdout).toMatch(/invariants/);
    expect(omnia(['frobnicate']).code).toBe(2);
    expect(omnia(['migrate', '--bogus'], { env }).code).toBe(2);
  });

  it('refuses bad configuration with exit code 4', () => {
    const res = omnia(['migrate'], { env: { ...env, PORT: 'x', DATABASE_URL: 'mysql://nope' } });
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/DATABASE_URL must start with postgres/);
  });

  it('bootstraps an admin from stdin and a channel key as JSON, then serves them', async () => {
    expect(omnia(['migrate'], { env }).code).toBe(0);
    const noPw = omnia(['create-admin', '--email', 'boss@shop.example', '--password-stdin'], { env, input: 'short\n' });
    expect(noPw.code).toBe(2);
    expect(noPw.stderr).toMatch(/at least 12/);
    const admin = omnia(['create-admin', '--email', 'boss@shop.example', '--password-stdin', '--json'], {
      env,
      input: 'a long enough secret\n',
    });
    expect(admin.code).toBe(0);
    expect(JSON.parse(admin.stdout)).toMatchObject({ email: 'boss@shop.example', role: 'admin' });

    const server = await startServer(['--no-demo'], env);
    try {
      const login = await fetch(`${server.url}/v1/auth/staff/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'boss@shop.example', password: 'a long enough secret' }),
      });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const ch = await fetch(`${server.url}/v1/channels`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ code: 'pos', type: 'pos', name: 'Tills' }),
      });
      expect(ch.status).toBe(201);

      if (!onPostgres) {
        // the embedded folder is held by the server: the CLI says so instead of opening it twice
        const locked = omnia(['api-key', 'create', '--channel', 'pos', '--scopes', 'inventory:read', '--json'], {
          env,
        });
        expect(locked.code).toBe(3);
        expect(locked.stderr).toMatch(/in use by process \d+ \(omnia serve at http/);
      }
    } finally {
      server.child.kill('SIGTERM');
      expect(await waitExit(server.child)).toBe(0); // graceful shutdown
    }

    const key = omnia(['api-key', 'create', '--channel', 'pos', '--scopes', 'inventory:read,catalog:read', '--json'], {
      env,
    });
    expect(key.code).toBe(0);
    const created = JSON.parse(key.stdout);
    expect(created.key).toMatch(/^omk_sec_key_/);
    expect(created.channel_code).toBe('pos');
    expect(omnia(['api-key', 'create', '--channel', 'nope', '--scopes', 'inventory:read'], { env }).code).toBe(2);
    // A storefront key: publishable, fixed rights; asking it for more is a usage error, not a smaller key.
    const pub = omnia(['api-key', 'create', '--channel', 'pos', '--kind', 'publishable', '--json'], { env });
    expect(JSON.parse(pub.stdout)).toMatchObject({ kind: 'publishable', key: expect.stringMatching(/^omk_pub_key_/) });
    const args = ['api-key', 'create', '--channel', 'pos', '--kind', 'publishable', '--scopes', 'orders:read'];
    expect(omnia(args, { env }).code).toBe(2);
    const list = omnia(['api-key', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout)).toHaveLength(2);
    expect(list.stdout).not.toContain(created.key.split('.')[1]);
  });
});
