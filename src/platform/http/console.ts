import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { App } from './app.js';

/**
 * The web console (web/, built by `npm install`) at /console. It is a plain client of the public
 * API: nothing here but files. Unknown paths under /console get index.html so the single-page app's
 * own router can show them (deep links, reloads).
 *
 * Its CSP allows same-origin scripts, images and API calls only. Styles also allow 'unsafe-inline'
 * because echarts and React set element styles at run time; scripts never do.
 */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const here = path.dirname(fileURLToPath(import.meta.url));
// src/platform/http/ when run from source, dist/ when run from the bundle.
const CANDIDATES = [path.resolve(here, '../../../web/dist'), path.resolve(here, '../web/dist')];

export function consoleDir(): string | undefined {
  // OMNIA_CONSOLE_DIR: a console built elsewhere (`OMNIA_WEB_OUT=… node scripts/build-web.mjs`), so
  // that work on the console does not rebuild the web/dist another process is serving.
  const given = process.env.OMNIA_CONSOLE_DIR;
  if (given) return fs.existsSync(path.join(given, 'index.html')) ? given : undefined;
  return CANDIDATES.find((d) => fs.existsSync(path.join(d, 'index.html')));
}

/** `dir` null: as if the console were not built (tests); omitted: web/dist. */
export async function registerConsole(app: App, given?: string | null): Promise<void> {
  const dir = given === undefined ? consoleDir() : given;
  if (!dir) {
    const notBuilt = async (_req: unknown, reply: any) =>
      reply
        .code(503)
        .header('content-security-policy', "default-src 'none'")
        .type('text/plain; charset=utf-8')
        .send('The console is not built: run `npm install` (or `npm run build`) in the Omnia folder.\n');
    app.get('/console', { schema: { hide: true } }, notBuilt);
    app.get('/console/*', { schema: { hide: true } }, notBuilt);
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/console/',
    wildcard: false,
    index: false,
    decorateReply: true,
    // scripts/build-web.mjs writes .gz and .br beside each asset: sent when the browser accepts them.
    preCompressed: true,
    cacheControl: false,
    setHeaders(res, file) {
      res.setHeader('content-security-policy', CONSOLE_CSP);
      // Vite fingerprints everything under assets/: cache it for good; index.html must revalidate.
      res.setHeader(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  const shell = async (_req: unknown, reply: any) =>
    reply.header('content-security-policy', CONSOLE_CSP).header('cache-control', 'no-cache').sendFile('index.html');
  app.get('/console', { schema: { hide: true } }, shell);
  app.get('/console/*', { schema: { hide: true } }, shell);
}
