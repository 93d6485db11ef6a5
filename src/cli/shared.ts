import { loadConfig, ConfigError, type Config } from '../platform/config.js';
import { connect, type Database } from '../platform/db/connect.js';
import { DataDirLockedError } from '../platform/db/data-dir-lock.js';

/** Exit codes of the `omnia` command. */
export const EXIT = { ok: 0, failure: 1, usage: 2, locked: 3, config: 4, invariant: 5 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    public readonly code: number = EXIT.failure,
  ) {
    super(message);
  }
}

/** Flags that are configuration (`--port`, `--database-url`…), passed on to loadConfig. */
export const CONFIG_FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'database-url': { type: 'string' },
  'data-dir': { type: 'string' },
  'log-level': { type: 'string' },
} as const;

/** `extra`: a command's own flags that are config keys too (e.g. serve's `role`). */
export function configFrom(values: Record<string, unknown>, extra: string[] = []): Config {
  const flags: Record<string, string> = {};
  for (const key of [...Object.keys(CONFIG_FLAGS), ...extra]) {
    const v = values[key];
    if (typeof v === 'string') flags[key] = v;
  }
  try {
    return loadConfig(process.env, flags);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.config);
    throw err;
  }
}

/** Opens the database for a CLI command; a folder held by `omnia serve` gives a clear message. */
export async function openDatabase(config: Config, command: string): Promise<Database> {
  try {
    return await connect({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: 4,
      command,
      txGuardTrace: config.txGuardTrace,
      prepare: config.pgPrepare,
    });
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new CliError(err.message, EXIT.locked);
    throw err;
  }
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
