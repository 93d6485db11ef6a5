import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, liveOpenApi, schemaSource } from '../../scripts/openapi-dump.js';

/** The console's typed client is generated from the live OpenAPI document; a stale copy fails here. */
describe('web/src/api/schema.d.ts', () => {
  it('matches the live /openapi.json (run `npm run gen:api` after changing the API)', async () => {
    const live = await schemaSource(await liveOpenApi());
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8') === live, 'web/src/api/schema.d.ts is stale: run npm run gen:api').toBe(
      true,
    );
  });
});
