import { parseArgs } from 'node:util';
import { createOmnia } from '../../server.js';
import { CONFIG_FLAGS, configFrom, CliError, EXIT } from '../shared.js';
import { DataDirLockedError } from '../../platform/db/data-dir-lock.js';
import { onFirstStart } from './first-start.js';

export const help = `omnia serve [--role all|api|worker] [--port N] [--host H] [--database-url URL] [--data-dir DIR] [--no-demo] [--no-jobs]

Starts the HTTP API. Without DATABASE_URL it runs on the embedded database in --data-dir
(default .omnia/data), creating it on first run; an empty database gets the demo retailer
unless --no-demo is given.

--role (OMNIA_ROLE) splits the work over processes on one PostgreSQL: \`api\` serves HTTP and runs
no consumers or jobs, \`worker\` runs the outbox dispatcher, event consumers and jobs (several at once
safely) and serves only /health and /ready, \`all\` (the default) does both.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...CONFIG_FLAGS,
      role: { type: 'string' },
      'no-demo': { type: 'boolean' },
      'no-jobs': { type: 'boolean' },
    },
    strict: true,
  });
  const config = configFrom(values, ['role']);
  if (values['no-jobs']) config.jobs = false;
  const t0 = performance.now();
  let omnia;
  try {
    omnia = await createOmnia({ config, command: 'omnia serve' });
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new CliError(err.message, EXIT.locked);
    throw err;
  }
  const { app, ctx } = omnia;
  // The demo is written by the process that owns the database; a worker or an API process joins one.
  if (!values['no-demo'] && config.role === 'all') await onFirstStart(omnia);
  const address = await app.listen({ port: config.port, host: config.host });
  omnia.database.lock?.update({ url: address });
  const ms = Math.round(performance.now() - t0);
  ctx.log.info({ address, db: omnia.database.kind, where: omnia.database.where, startup_ms: ms }, 'omnia is ready');
  process.stdout.write(
    config.role === 'worker'
      ? `\nOmnia worker is running (${omnia.database.kind}: ${omnia.database.where}, ready in ${ms} ms)\n  Probes: ${address}/health, ${address}/ready\n\n`
      : `\nOmnia is running (${omnia.database.kind}: ${omnia.database.where}, role ${config.role}, ready in ${ms} ms)\n  API:  ${address}/v1\n  Docs: ${address}/docs\n  OpenAPI: ${address}/openapi.json\n  Console: ${address}/console\n\n`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await omnia.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return new Promise<number>(() => {}); // runs until a signal
}
