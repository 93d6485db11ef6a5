/**
 * First start on an empty database: the demo retailer, a demo admin with a random password and a
 * storefront API key, printed once and kept in <dataDir>/demo-credentials.txt (mode 0600). There is
 * never a fixed default password.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Omnia } from '../server.js';
import { AppError } from '../platform/http/problems.js';
import { seedDemo, type SeedDemoOptions } from './seed.js';

export const DEMO_ADMIN_EMAIL = 'admin@demo.omnia.dev';

export async function seedIfEmpty(
  omnia: Omnia,
  opts: { out?: NodeJS.WritableStream; demo?: SeedDemoOptions } = {},
): Promise<boolean> {
  const { services, ctx } = omnia;
  if ((await services.network.listChannels()).length > 0) return false;
  const out = opts.out ?? process.stdout;
  out.write('Empty database: creating the demo retailer (omnia seed --demo)…\n');
  let summary;
  try {
    summary = await seedDemo(services, opts.demo);
  } catch (err) {
    // Several processes started at once on one empty PostgreSQL: one seeds, the others find its codes taken.
    if (err instanceof AppError && err.type === 'duplicate') {
      out.write('Another process is creating the demo retailer; not seeding here.\n');
      return false;
    }
    throw err;
  }
  const password = randomBytes(18).toString('base64url');
  await services.auth.createStaff({ email: DEMO_ADMIN_EMAIL, password, role: 'admin' });
  // The storefront's key ships in every page: publishable, with the fixed shopper rights only.
  const key = await services.auth.createApiKey({ channel: 'web', kind: 'publishable', label: 'demo storefront' });
  const file = path.join(ctx.config.dataDir, 'demo-credentials.txt');
  const text = [
    '# Omnia demo credentials (created on first start; shown once on the console)',
    `admin_email=${DEMO_ADMIN_EMAIL}`,
    `admin_password=${password}`,
    `# web_api_key is publishable (public, storefront rights only); mint secret keys with omnia api-key create`,
    `web_api_key=${key.key}`,
    `# log in: POST /v1/auth/staff/login {"email":"${DEMO_ADMIN_EMAIL}","password":"…"}`,
    '',
  ].join('\n');
  fs.mkdirSync(ctx.config.dataDir, { recursive: true });
  fs.writeFileSync(file, text, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  out.write(
    `Demo retailer ready: ${summary.stores} stores, ${summary.warehouses} warehouses, ${summary.pickup_points} pickup points, ` +
      `${summary.products} products / ${summary.skus} SKUs (${summary.ms.total} ms).\n` +
      `  admin:       ${DEMO_ADMIN_EMAIL}\n  password:    ${password}\n  web API key: ${key.key} (publishable)\n  (kept in ${file}, mode 0600)\n`,
  );
  ctx.log.info({ file, stores: summary.stores, skus: summary.skus }, 'demo retailer seeded');
  return true;
}
