import { describe, expect, it } from 'vitest';
import { stockGrid, type Level } from './stock-grid';

const lvl = (location_id: string, on_hand: number, extra: Partial<Level> = {}): Level => ({
  location_id,
  on_hand,
  reserved: 0,
  safety_stock: 0,
  in_transit: 0,
  available: on_hand,
  ...extra,
});

describe('stock grid', () => {
  const variants = [
    { sku: 'A-S', size: 'S', colour: 'Azul' },
    { sku: 'A-M', size: 'M', colour: null },
  ];
  it('puts sizes down and the locations holding stock across, in the network order', () => {
    const g = stockGrid(
      variants,
      { 'A-S': [lvl('loc_b', 3), lvl('loc_a', 0)], 'A-M': [lvl('loc_a', 2, { reserved: 1, available: 1 })] },
      ['loc_a', 'loc_b'],
    );
    expect(g.locations).toEqual(['loc_a', 'loc_b']);
    expect(g.rows.map((r) => r.label)).toEqual(['S · Azul', 'M']);
    expect(g.rows[0]!.cells.map((c) => c?.on_hand)).toEqual([0, 3]);
    expect(g.rows[1]!.cells[1]).toBeUndefined();
    expect(g.rows.map((r) => r.total)).toEqual([3, 1]);
  });
  it('leaves out locations with nothing on hand, reserved or in transit; keeps those with stock on the way', () => {
    const g = stockGrid(variants, { 'A-S': [lvl('loc_a', 0), lvl('loc_c', 0, { in_transit: 4 })] }, ['loc_a']);
    expect(g.locations).toEqual(['loc_c']);
  });
});
