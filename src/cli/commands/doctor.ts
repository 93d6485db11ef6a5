import { parseArgs } from 'node:util';
import { runChecks } from '../../platform/doctor.js';
import { doctorChecks } from '../../doctor-checks.js';
import { systemClock } from '../../platform/clock.js';
import { CONFIG_FLAGS, configFrom, openDatabase, EXIT } from '../shared.js';

export const help = `omnia doctor [--json] [--database-url URL] [--data-dir DIR]

Checks the invariants on a live database (stock equals its ledger, reservations add up, nothing
available below zero, migrations applied…). Exits ${EXIT.invariant} when any check fails.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...CONFIG_FLAGS, json: { type: 'boolean' } }, strict: true });
  const config = configFrom(values);
  const database = await openDatabase(config, 'omnia doctor');
  try {
    const results = await runChecks(database.db, doctorChecks, systemClock.now(), config);
    const failed = results.filter((r) => r.result.status === 'fail');
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ ok: failed.length === 0, checks: results })}\n`);
    } else {
      for (const { name, result } of results) {
        const mark = result.status === 'ok' ? 'ok  ' : result.status === 'warn' ? 'warn' : 'FAIL';
        process.stdout.write(`${mark} ${name}: ${result.summary}\n`);
        for (const s of result.samples ?? []) process.stdout.write(`       ${JSON.stringify(s)}\n`);
      }
      process.stdout.write(failed.length ? `\n${failed.length} check(s) failed\n` : '\nall checks passed\n');
    }
    return failed.length ? EXIT.invariant : EXIT.ok;
  } finally {
    await database.close();
  }
}
