/** The product page's stock grid: sizes down, locations across. Pure. */

export interface Level {
  location_id: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  in_transit: number;
  available: number;
}

export interface GridVariant {
  sku: string;
  size: string | null;
  colour: string | null;
}

export interface StockGrid {
  /** locations that hold or expect any stock of the product, in the order given */
  locations: string[];
  rows: { sku: string; label: string; cells: (Level | undefined)[]; total: number }[];
}

export function stockGrid(
  variants: GridVariant[],
  levels: Record<string, Level[]>,
  locationOrder: string[] = [],
): StockGrid {
  const seen = new Set<string>();
  for (const v of variants)
    for (const l of levels[v.sku] ?? []) if (l.on_hand || l.reserved || l.in_transit) seen.add(l.location_id);
  const known = locationOrder.filter((id) => seen.has(id));
  const locations = [...known, ...[...seen].filter((id) => !known.includes(id)).sort()];
  const rows = variants.map((v) => {
    const byLoc = new Map((levels[v.sku] ?? []).map((l) => [l.location_id, l]));
    const cells = locations.map((id) => byLoc.get(id));
    return {
      sku: v.sku,
      label: [v.size, v.colour].filter(Boolean).join(' · ') || v.sku,
      cells,
      total: cells.reduce((s, c) => s + (c?.available ?? 0), 0),
    };
  });
  return { locations, rows };
}
