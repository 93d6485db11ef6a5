import { createOmnia, type Omnia } from '../../src/server.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/log.js';
import type { Clock } from '../../src/platform/clock.js';
import type { Scope } from '../../src/platform/http/auth-model.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestApp {
  omnia: Omnia;
  database: TestDatabase;
  /** An admin staff bearer token. */
  admin: string;
  /** Shorthand for app.inject with JSON and a bearer token. */
  request(
    method: string,
    url: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  /**
   * Creates a channel (if needed) and an API key on it: a secret key with the given scopes, or with
   * `kind: 'publishable'` the fixed storefront rights (pass `[]` as scopes).
   */
  apiKey(
    channelCode: string,
    scopes: Scope[],
    opts?: { location?: string; type?: string; kind?: 'publishable' | 'secret' },
  ): Promise<string>;
  close(): Promise<void>;
}

/** The whole app on a fresh test database, with jobs off (tests drive the dispatcher by hand). */
export async function startTestApp(
  opts: { clock?: Clock; jobs?: boolean; database?: TestDatabase; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const database = opts.database ?? (await createTestDatabase());
  const config = { ...loadConfig({ LOG_LEVEL: 'silent', ...opts.env }), jobs: opts.jobs ?? false };
  const omnia = await createOmnia({
    config,
    database,
    logger: createLogger('silent'),
    migrate: false,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  await omnia.services.auth.createStaff({
    email: 'admin@test.omnia',
    password: 'correct horse battery',
    role: 'admin',
  });
  const { token: admin } = await omnia.services.auth.loginStaff('admin@test.omnia', 'correct horse battery');

  const request: TestApp['request'] = async (method, url, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    const token = o.token === undefined ? admin : o.token;
    if (token) headers.authorization = `Bearer ${token}`;
    if (typeof o.body === 'string') headers['content-type'] ??= 'application/json';
    const res = await omnia.app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(o.body !== undefined ? { payload: o.body as string | object } : {}),
    });
    let body: unknown = res.body;
    try {
      body = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.statusCode, body, headers: res.headers };
  };

  return {
    omnia,
    database,
    admin,
    request,
    async apiKey(channelCode, scopes, o = {}) {
      const existing = await omnia.services.network.channel(channelCode);
      if (!existing)
        await omnia.services.network.createChannel({
          code: channelCode,
          type: (o.type ?? 'web') as 'web',
          name: channelCode,
        });
      const key = await omnia.services.auth.createApiKey({
        channel: channelCode,
        kind: o.kind ?? 'secret',
        scopes: o.kind === 'publishable' ? undefined : scopes,
        location: o.location,
      });
      return key.key;
    },
    async close() {
      await omnia.close();
      await database.close();
    },
  };
}
