#!/usr/bin/env node
// Writes web/src/pages/operations/iberia.geo.json: Spain and Portugal (Natural Earth 1:50m via the
// world-atlas package) as GeoJSON for the network map. Committed, so the console draws the map
// offline with no tiles; re-run after upgrading world-atlas:
//   node scripts/extract-iberia.mjs && npx prettier --write web/src/pages/operations/iberia.geo.json
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { feature } from 'topojson-client';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const topo = JSON.parse(fs.readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8'));
const NAMES = { 724: 'España', 620: 'Portugal' };
const all = feature(topo, topo.objects.countries);
// Coordinates rounded to ~100 m: plenty for a map of stores, a fraction of the size.
const round = (c) => (typeof c[0] === 'number' ? c.map((x) => Math.round(x * 1000) / 1000) : c.map(round));
const features = all.features
  .filter((f) => NAMES[Number(f.id)])
  .map((f) => ({
    type: 'Feature',
    id: f.id,
    properties: { name: NAMES[Number(f.id)] },
    geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) },
  }));
const out = path.join(root, 'web/src/pages/operations/iberia.geo.json');
fs.writeFileSync(out, `${JSON.stringify({ type: 'FeatureCollection', features })}\n`);
process.stdout.write(
  `wrote ${path.relative(root, out)} (${features.length} countries, ${fs.statSync(out).size} bytes)\n`,
);
