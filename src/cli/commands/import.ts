import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { migrate } from '../../platform/db/migrate.js';
import { systemClock } from '../../platform/clock.js';
import { NetworkService } from '../../network/index.js';
import { CatalogService, ImportFileError } from '../../catalog/index.js';
import { CONFIG_FLAGS, configFrom, openDatabase, CliError, EXIT } from '../shared.js';
import { Progress } from '../progress.js';

export const help = `omnia import products FILE.csv [--json] [--database-url URL] [--data-dir DIR]

Imports products from a UTF-8 CSV with the header
  product_code,name,brand,category,tax_class,sku,gtin,size,colour,price,currency,sale_price,weight_g,unit_cost
(one row per variant; see docs/catalog-import.md). Each row is stored whole or not at all; good
rows are stored even when others are refused. Prints every refused row by line and field, and
exits with 1 when any row was refused (0 when all were imported).`;

const SHOWN = 200;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...CONFIG_FLAGS, json: { type: 'boolean' } },
    strict: true,
    allowPositionals: true,
  });
  const [what, file] = positionals;
  if (what !== 'products' || !file || positionals.length > 2) throw new CliError(help, EXIT.usage);
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, EXIT.usage);
  }
  const config = configFrom(values);
  const database = await openDatabase(config, 'omnia import');
  try {
    await migrate(database.db);
    const network = new NetworkService(database.db, systemClock);
    const catalog = new CatalogService(database.db, systemClock, network);
    let bar: Progress | undefined;
    let shown = 0;
    const report = await catalog
      .importCsv(data, {
        onProgress: (done, total) => {
          if (values.json) return;
          bar ??= new Progress('importing rows', total);
          bar.tick(done - shown);
          shown = done;
          if (done === total) bar.finish();
        },
      })
      .catch((err: unknown) => {
        if (err instanceof ImportFileError) {
          throw new CliError(
            `${file} cannot be imported (nothing was changed):\n${err.errors.map((e) => `  line ${e.line}: ${e.field}: ${e.message}`).join('\n')}`,
            EXIT.failure,
          );
        }
        throw err;
      });
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      process.stdout.write(
        `imported ${report.imported} of ${report.rows} rows (${report.products} products) in ${report.duration_ms} ms\n`,
      );
      if (report.failed) {
        process.stdout.write(`${report.failed} rows refused:\n`);
        for (const e of report.errors.slice(0, SHOWN))
          process.stdout.write(`  line ${e.line}: ${e.field}: ${e.message}\n`);
        if (report.errors.length > SHOWN)
          process.stdout.write(`  … and ${report.errors.length - SHOWN} more (--json lists them all)\n`);
      }
    }
    return report.failed ? EXIT.failure : EXIT.ok;
  } finally {
    await database.close();
  }
}
