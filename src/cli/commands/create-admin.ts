import { parseArgs } from 'node:util';
import { migrate } from '../../platform/db/migrate.js';
import { systemClock } from '../../platform/clock.js';
import { AuthService } from '../../platform/auth/service.js';
import { NetworkService } from '../../network/index.js';
import { AppError } from '../../platform/http/problems.js';
import { CONFIG_FLAGS, configFrom, openDatabase, readStdin, CliError, EXIT } from '../shared.js';

export const help = `omnia create-admin --email E (--password-stdin | --password P) [--role admin|merchandiser|store_associate|agent] [--location CODE] [--json]

Creates a staff user (an admin by default). There is no default password: give one on stdin
(recommended: echo "$PW" | omnia create-admin --email a@b.c --password-stdin).`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...CONFIG_FLAGS,
      email: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      role: { type: 'string' },
      location: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.email) throw new CliError('--email is required', EXIT.usage);
  const password = values['password-stdin'] ? (await readStdin()).replace(/\r?\n$/, '') : values.password;
  if (!password) throw new CliError('give the password with --password-stdin (or --password)', EXIT.usage);
  const config = configFrom(values);
  const database = await openDatabase(config, 'omnia create-admin');
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
    const user = await auth.createStaff({
      email: values.email,
      password,
      role: (values.role ?? 'admin') as 'admin',
      location: values.location,
    });
    process.stdout.write(
      values.json ? `${JSON.stringify(user)}\n` : `created ${user.role} ${user.email} (${user.id})\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof AppError) throw new CliError(err.detail, EXIT.usage);
    throw err;
  } finally {
    await database.close();
  }
}
