/** Writes docs/events.md from the event schemas (src/events-catalog.ts). */
import fs from 'node:fs';
import { eventCatalog } from '../src/events-catalog.js';
import { eventsMarkdown } from '../src/platform/events/openapi.js';

fs.writeFileSync(new URL('../docs/events.md', import.meta.url), eventsMarkdown(eventCatalog));
console.log(`docs/events.md: ${Object.keys(eventCatalog).length} event types`);
