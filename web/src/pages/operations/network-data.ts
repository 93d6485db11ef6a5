/** Pure shaping for the network map: each location's figure under the chosen colouring. */

export type MapMeasure = 'stock_value' | 'capacity_use';

export interface MapPoint {
  id: string;
  name: string;
  lat: number;
  lng: number;
  /** The figure the colour follows: minor units of stock value, or the share (0..1+) of today's capacity used. */
  value: number;
  /** The same, formatted for the tooltip. */
  label: string;
}

/** Today's tasks per location (a task counts at the location that picks and packs it; cancelled and rejected do not). */
export function tasksPerLocation(tasks: { location_id: string; status: string }[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const f of tasks)
    if (f.status !== 'cancelled' && f.status !== 'rejected') n.set(f.location_id, (n.get(f.location_id) ?? 0) + 1);
  return n;
}

/**
 * The points of the map. Capacity use is today's tasks over the daily capacity; a location without
 * capacity (0: a warehouse without a limit) shows its task count against nothing, as 0 share.
 */
export function mapPoints(
  locations: { id: string; name: string; lat: number; lng: number; daily_capacity: number }[],
  measure: MapMeasure,
  figures: { value: Map<string, number>; tasks: Map<string, number> },
  fmt: { money: (minor: number) => string; percent: (r: number) => string },
): MapPoint[] {
  return locations.map((l) => {
    if (measure === 'stock_value') {
      const v = figures.value.get(l.id) ?? 0;
      return { id: l.id, name: l.name, lat: l.lat, lng: l.lng, value: v, label: fmt.money(v) };
    }
    const used = figures.tasks.get(l.id) ?? 0;
    const share = l.daily_capacity > 0 ? used / l.daily_capacity : 0;
    return { id: l.id, name: l.name, lat: l.lat, lng: l.lng, value: share, label: fmt.percent(share) };
  });
}

/** Midnight today in the browser's time zone, as the API's created_from. */
export function startOfToday(now = new Date()): string {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
}
