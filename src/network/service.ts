import type { Db, Executor } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { newId, ID_PREFIX } from '../platform/ids.js';
import { emit } from '../platform/events/outbox.js';
import { inTx } from '../platform/db/tx.js';
import { SnapshotCache } from '../platform/db/snapshot-cache.js';
import { AppError, isUniqueViolation, problems } from '../platform/http/problems.js';
import * as store from './store.js';
import { openingHoursErrors, stockPolicyErrors } from './rules.js';
import type {
  Address,
  Capability,
  Channel,
  ChannelType,
  Location,
  LocationType,
  OpeningHours,
  StockPolicy,
} from './types.js';

export interface ChannelInput {
  code: string;
  type: ChannelType;
  name: string;
  currency?: string;
  country?: string;
  stock_policy?: Partial<StockPolicy>;
  active?: boolean;
}
export interface LocationInput {
  code: string;
  type: LocationType;
  name: string;
  lat: number;
  lng: number;
  address: Address;
  capabilities?: Capability[];
  opening_hours?: OpeningHours;
  timezone?: string;
  daily_capacity?: number;
  active?: boolean;
}

function toChannel(r: store.ChannelRow): Channel {
  return {
    id: r.id,
    code: r.code,
    type: r.type as ChannelType,
    name: r.name,
    currency: r.currency,
    country: r.country,
    stock_policy: { locations: r.stock_locations ?? 'all', safety_stock: r.safety_stock, buffer_pct: r.buffer_pct },
    active: r.active,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}
function toLocation(r: store.LocationRow): Location {
  return {
    id: r.id,
    code: r.code,
    type: r.type as LocationType,
    name: r.name,
    lat: r.lat,
    lng: r.lng,
    address: r.address as Address,
    capabilities: r.capabilities as Capability[],
    opening_hours: r.opening_hours as OpeningHours,
    timezone: r.timezone,
    daily_capacity: r.daily_capacity,
    active: r.active,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

/**
 * Channels and locations are few (tens to hundreds) and read on every availability and sourcing
 * call, so the service keeps a snapshot in memory. Writes through this process refresh it at once;
 * writes through other processes are seen within SNAPSHOT_MS.
 */
const SNAPSHOT_MS = 2000;

export interface NetworkSnapshot {
  channels: Channel[];
  locations: Location[];
  channelById: Map<string, Channel>;
  channelByCode: Map<string, Channel>;
  locationById: Map<string, Location>;
  locationByCode: Map<string, Location>;
}

/** Reads take the caller's transaction, if any: `{ trx }`. */
export interface ReadOptions {
  trx?: Executor | undefined;
}

export class NetworkService {
  private readonly snap: SnapshotCache<NetworkSnapshot>;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.snap = new SnapshotCache(db, clock, (ex) => this.load(ex), SNAPSHOT_MS);
  }

  /**
   * The cached snapshot (see SnapshotCache): stale is served while a background refresh runs; a
   * caller inside a transaction passes `{ trx }`, so that with nothing cached it reads through its
   * own transaction instead of waiting for a pool load that waits for that transaction.
   */
  snapshot(opts: ReadOptions = {}): Promise<NetworkSnapshot> {
    return this.snap.get(opts);
  }

  /** After a write; pass the writing transaction so that it keeps reading its own writes. */
  invalidate(opts: ReadOptions = {}): void {
    this.snap.invalidate(opts);
  }

  private async load(db: Executor): Promise<NetworkSnapshot> {
    const [channels, locations] = await Promise.all([store.allChannels(db), store.allLocations(db)]).then(
      ([c, l]) => [c.map(toChannel), l.map(toLocation)] as const,
    );
    return {
      channels,
      locations,
      channelById: new Map(channels.map((c) => [c.id, c])),
      channelByCode: new Map(channels.map((c) => [c.code, c])),
      locationById: new Map(locations.map((l) => [l.id, l])),
      locationByCode: new Map(locations.map((l) => [l.code, l])),
    };
  }

  async channel(idOrCode: string, opts: ReadOptions = {}): Promise<Channel | undefined> {
    const s = await this.snapshot(opts);
    return s.channelById.get(idOrCode) ?? s.channelByCode.get(idOrCode);
  }
  async requireChannel(idOrCode: string, opts: ReadOptions = {}): Promise<Channel> {
    const c = await this.channel(idOrCode, opts);
    if (!c) throw problems.notFound('channel', idOrCode);
    return c;
  }
  async location(idOrCode: string, opts: ReadOptions = {}): Promise<Location | undefined> {
    const s = await this.snapshot(opts);
    return s.locationById.get(idOrCode) ?? s.locationByCode.get(idOrCode);
  }
  async requireLocation(idOrCode: string, opts: ReadOptions = {}): Promise<Location> {
    const l = await this.location(idOrCode, opts);
    if (!l) throw problems.notFound('location', idOrCode);
    return l;
  }
  async listChannels(opts: ReadOptions = {}): Promise<Channel[]> {
    return (await this.snapshot(opts)).channels;
  }
  async listLocations(
    filter: { type?: LocationType; capability?: Capability } = {},
    opts: ReadOptions = {},
  ): Promise<Location[]> {
    return (await this.snapshot(opts)).locations.filter(
      (l) =>
        (!filter.type || l.type === filter.type) && (!filter.capability || l.capabilities.includes(filter.capability)),
    );
  }

  private async policyColumns(policy: Partial<StockPolicy> | undefined, prior?: StockPolicy, opts: ReadOptions = {}) {
    const merged: StockPolicy = { locations: 'all', safety_stock: 0, buffer_pct: 0, ...prior, ...policy };
    const s = await this.snapshot(opts);
    const errors = stockPolicyErrors(merged, new Set(s.locationById.keys()));
    if (errors.length) throw problems.validation('the stock policy names unknown locations', errors);
    return {
      stock_locations: merged.locations === 'all' ? null : merged.locations,
      safety_stock: merged.safety_stock,
      buffer_pct: merged.buffer_pct,
    };
  }

  async createChannel(input: ChannelInput, opts: { trx?: Executor } = {}): Promise<Channel> {
    const now = this.clock.now();
    const id = newId(ID_PREFIX.channel, now.getTime());
    const policy = await this.policyColumns(input.stock_policy, undefined, opts);
    try {
      await inTx(this.db, opts.trx, async (trx) => {
        await store.insertChannel(trx, {
          id,
          code: input.code,
          type: input.type,
          name: input.name,
          currency: input.currency ?? 'EUR',
          country: input.country ?? 'ES',
          ...policy,
          active: input.active ?? true,
          created_at: now,
          updated_at: now,
        });
        await emit(trx, { type: 'channel.created', aggregateId: id, payload: { id, code: input.code } }, now);
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw problems.duplicate(`a channel with code ${input.code} exists`, [
          { field: 'code', message: 'already used' },
        ]);
      throw err;
    }
    this.invalidate(opts);
    return this.requireChannel(id, opts);
  }

  async updateChannel(id: string, patch: Partial<Omit<ChannelInput, 'code' | 'type'>>): Promise<Channel> {
    const prior = await this.requireChannel(id);
    const now = this.clock.now();
    const policy = patch.stock_policy ? await this.policyColumns(patch.stock_policy, prior.stock_policy) : {};
    const row = await inTx(this.db, undefined, async (trx) => {
      const r = await store.updateChannel(trx, prior.id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.currency !== undefined ? { currency: patch.currency } : {}),
        ...(patch.country !== undefined ? { country: patch.country } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        ...policy,
        updated_at: now,
      });
      await emit(
        trx,
        { type: 'channel.updated', aggregateId: prior.id, payload: { id: prior.id, code: prior.code } },
        now,
      );
      return r;
    });
    if (!row) throw problems.notFound('channel', id);
    this.invalidate();
    return toChannel(row);
  }

  private checkLocation(input: Partial<LocationInput>): void {
    const errors = input.opening_hours ? openingHoursErrors(input.opening_hours) : [];
    if (input.type === 'pickup_point' && input.capabilities?.includes('ship_from_store')) {
      errors.push({ field: 'capabilities', message: 'a pickup point cannot ship from store' });
    }
    if (errors.length) throw problems.validation('the location is not valid', errors);
  }

  async createLocations(inputs: LocationInput[], opts: { trx?: Executor } = {}): Promise<Location[]> {
    inputs.forEach((i) => this.checkLocation(i));
    const now = this.clock.now();
    const rows = inputs.map((input) => ({
      id: newId(ID_PREFIX.location, now.getTime()),
      code: input.code,
      type: input.type,
      name: input.name,
      lat: input.lat,
      lng: input.lng,
      address: JSON.stringify(input.address),
      capabilities: [...new Set(input.capabilities ?? [])],
      opening_hours: JSON.stringify(input.opening_hours ?? {}),
      timezone: input.timezone ?? 'Europe/Madrid',
      daily_capacity: input.daily_capacity ?? 0,
      active: input.active ?? true,
      created_at: now,
      updated_at: now,
    }));
    try {
      await inTx(this.db, opts.trx, async (trx) => {
        await store.insertLocations(trx, rows);
        await emit(
          trx,
          rows.map((r) => ({ type: 'location.created', aggregateId: r.id, payload: { id: r.id, code: r.code } })),
          now,
        );
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw problems.duplicate('a location with that code exists', [{ field: 'code', message: 'already used' }]);
      throw err;
    }
    this.invalidate(opts);
    const s = await this.snapshot(opts);
    return rows.map((r) => s.locationById.get(r.id)!);
  }

  async createLocation(input: LocationInput): Promise<Location> {
    const [loc] = await this.createLocations([input]);
    return loc!;
  }

  async updateLocation(id: string, patch: Partial<Omit<LocationInput, 'code' | 'type'>>): Promise<Location> {
    const prior = await this.requireLocation(id);
    this.checkLocation({ ...patch, type: prior.type });
    const now = this.clock.now();
    const { address, opening_hours, capabilities, ...rest } = patch;
    const row = await inTx(this.db, undefined, async (trx) => {
      const r = await store.updateLocation(trx, prior.id, {
        ...rest,
        ...(address ? { address: JSON.stringify(address) } : {}),
        ...(opening_hours ? { opening_hours: JSON.stringify(opening_hours) } : {}),
        ...(capabilities ? { capabilities: [...new Set(capabilities)] } : {}),
        updated_at: now,
      });
      await emit(
        trx,
        { type: 'location.updated', aggregateId: prior.id, payload: { id: prior.id, code: prior.code } },
        now,
      );
      return r;
    });
    if (!row) throw new AppError('not_found', `location ${id} does not exist`);
    this.invalidate();
    return toLocation(row);
  }
}
