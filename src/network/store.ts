import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { ChannelsTable, LocationsTable } from './tables.js';
import './tables.js';

export type ChannelRow = Selectable<ChannelsTable>;
export type LocationRow = Selectable<LocationsTable>;

export function allChannels(db: Executor): Promise<ChannelRow[]> {
  return db.selectFrom('channels').selectAll().orderBy('id').execute();
}
export function allLocations(db: Executor): Promise<LocationRow[]> {
  return db.selectFrom('locations').selectAll().orderBy('id').execute();
}
export async function insertChannel(db: Executor, row: Insertable<ChannelsTable>): Promise<void> {
  await db.insertInto('channels').values(row).execute();
}
export async function updateChannel(
  db: Executor,
  id: string,
  patch: Updateable<ChannelsTable>,
): Promise<ChannelRow | undefined> {
  return db.updateTable('channels').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
}
export async function insertLocations(db: Executor, rows: Insertable<LocationsTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('locations').values(rows).execute();
}
export async function updateLocation(
  db: Executor,
  id: string,
  patch: Updateable<LocationsTable>,
): Promise<LocationRow | undefined> {
  return db.updateTable('locations').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
}
