import { parseArgs } from 'node:util';
import { migrate } from '../../platform/db/migrate.js';
import { systemClock } from '../../platform/clock.js';
import { AuthService } from '../../platform/auth/service.js';
import { NetworkService } from '../../network/index.js';
import { AppError } from '../../platform/http/problems.js';
import { API_KEY_KINDS, ROLE_SCOPES, type ApiKeyKind } from '../../platform/http/auth-model.js';

const isKeyKind = (k: string): k is ApiKeyKind => (API_KEY_KINDS as readonly string[]).includes(k);
import { CONFIG_FLAGS, configFrom, openDatabase, CliError, EXIT } from '../shared.js';

export const help = `omnia api-key create --channel CODE [--kind publishable|secret] [--location CODE] [--scopes S1,S2|all] [--label TEXT] [--json]
omnia api-key list [--json]
omnia api-key revoke ID

Creates an API key bound to one channel (and optionally one store). The key is printed once.
  publishable (omk_pub_…): public, for web pages and apps; fixed narrow rights, no --scopes needed.
  secret (omk_sec_…, the default): for servers and connectors; carries --scopes. Never ship it to a browser.`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      ...CONFIG_FLAGS,
      channel: { type: 'string' },
      kind: { type: 'string' },
      location: { type: 'string' },
      scopes: { type: 'string' },
      label: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (!sub || !['create', 'list', 'revoke'].includes(sub)) throw new CliError(help, EXIT.usage);
  const config = configFrom(values);
  const database = await openDatabase(config, 'omnia api-key');
  try {
    await migrate(database.db);
    const network = new NetworkService(database.db, systemClock);
    const auth = new AuthService(
      database.db,
      systemClock,
      { channel: (x) => network.channel(x), location: (x) => network.location(x) },
      config.secret,
    );
    await auth.init();
    if (sub === 'list') {
      const keys = await auth.listApiKeys();
      process.stdout.write(
        values.json
          ? `${JSON.stringify(keys)}\n`
          : keys
              .map((k) => `${k.id} ${k.kind} ${k.channel_id} ${k.scopes.join(',')}${k.revoked_at ? ' (revoked)' : ''}`)
              .join('\n') + '\n',
      );
      return 0;
    }
    if (sub === 'revoke') {
      if (!positionals[0]) throw new CliError('omnia api-key revoke ID', EXIT.usage);
      await auth.revokeApiKey(positionals[0]);
      process.stdout.write(`revoked ${positionals[0]}\n`);
      return 0;
    }
    if (!values.channel) throw new CliError('--channel is required', EXIT.usage);
    // Secret by default, as every key was before kinds existed; a storefront asks for --kind publishable.
    const kind = values.kind ?? 'secret';
    if (!isKeyKind(kind)) throw new CliError(`--kind must be one of ${API_KEY_KINDS.join(', ')}`, EXIT.usage);
    if (kind === 'secret' && !values.scopes) throw new CliError('a secret key needs --scopes', EXIT.usage);
    const scopes =
      values.scopes === undefined
        ? undefined
        : values.scopes === 'all'
          ? [...ROLE_SCOPES.admin]
          : values.scopes
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean);
    const key = await auth.createApiKey({
      channel: values.channel,
      kind,
      location: values.location,
      scopes,
      label: values.label,
    });
    process.stdout.write(
      values.json
        ? `${JSON.stringify(key)}\n`
        : `${key.key}\n(${key.kind} key, channel ${key.channel_code}, scopes ${key.scopes.join(',')}; shown once)\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof AppError) throw new CliError(err.detail, err.type === 'not_found' ? EXIT.failure : EXIT.usage);
    throw err;
  } finally {
    await database.close();
  }
}
