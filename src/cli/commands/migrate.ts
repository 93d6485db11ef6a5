import { parseArgs } from 'node:util';
import { migrate, pendingMigrations } from '../../platform/db/migrate.js';
import { CONFIG_FLAGS, configFrom, openDatabase } from '../shared.js';

export const help = `omnia migrate [--status] [--database-url URL] [--data-dir DIR]

Applies pending SQL migrations from migrations/ in order (--status lists them without applying).`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...CONFIG_FLAGS, status: { type: 'boolean' } }, strict: true });
  const config = configFrom(values);
  const database = await openDatabase(config, 'omnia migrate');
  try {
    if (values.status) {
      const pending = await pendingMigrations(database.db);
      process.stdout.write(pending.length ? `pending:\n${pending.map((p) => `  ${p}`).join('\n')}\n` : 'up to date\n');
      return 0;
    }
    const applied = await migrate(database.db);
    process.stdout.write(applied.length ? `applied:\n${applied.map((p) => `  ${p}`).join('\n')}\n` : 'up to date\n');
    return 0;
  } finally {
    await database.close();
  }
}
