/**
 * Behaviour event ingestion. Per event only in-memory work (a compiled schema check, identifier
 * normalisation, one JSON.stringify); per batch a fixed number of statements: one identity lookup
 * for every identifier in the batch, one for explicit customer ids, one insert-and-roll-up. Events
 * that identify someone new (an unknown email, an anonymous id seen with a customer id) take the
 * slow path — a lenient identification per distinct identity in the batch, in the same transaction.
 */
import type { Tx } from '../platform/db/schema.js';
import { newId } from '../platform/ids.js';
import {
  AppError,
  toProblem,
  type FieldError,
  type ProblemDocument,
  type ProblemType,
} from '../platform/http/problems.js';
import { checkEvent, MAX_PROPERTIES_BYTES, type RawEvent } from './event-schemas.js';
import * as ids from './identity-store.js';
import * as events from './events-store.js';
import { COPY_MIN_EVENTS, copyEvents } from './events-copy.js';
import { copyInOf } from '../platform/db/pg-client.js';
import { identifyInTx } from './identity.js';
import { identifierKey, isStrong, needsIdentification, normaliseIdentifiers } from './rules.js';
import type { ChannelKind, Identifier } from './types.js';
import type { ChannelInfo, ChannelLookup } from './ports.js';

export const MAX_BATCH = 1000;

export interface IngestResult {
  accepted: number;
  /** Valid events not stored because the person withdrew analytics consent. */
  suppressed: number;
  /** Valid events whose id was already stored (a retried batch). */
  duplicates: number;
  rejected: { index: number; problem: ProblemDocument }[];
}

export function channelKindOf(channelType: string, eventType: string): ChannelKind {
  if (eventType === 'store_visit' || channelType === 'pos') return 'store';
  if (channelType === 'contact_center') return 'assisted';
  return 'online';
}

interface Valid {
  index: number;
  ev: RawEvent;
  ts: number;
  channel: ChannelInfo;
  strong: Identifier[];
  anonymous: string | null;
  device: string | null;
  props: string;
  customer: string | null;
}

/**
 * A NUL character in a property (JSON.stringify writes it as the escape \u0000, after an even number
 * of backslashes) cannot be stored in jsonb: caught here, it is that event's rejection instead of a
 * database error failing the whole batch.
 */
const NUL_ESCAPE = /(?<!\\)(?:\\\\)*\\u0000/;

const reject = (index: number, type: ProblemType, detail: string, errors: FieldError[]) => ({
  index,
  problem: toProblem(new AppError(type, detail, { errors })),
});

const NONE: Identifier[] = [];
const NO_IDENTIFIERS = { identifiers: NONE, errors: [] as FieldError[] };

/** The event's identifiers (strong ones, device and anonymous id), normalised. */
function identifiersOf(ev: RawEvent) {
  const { device_id, ...strongRaw } = ev.identifiers ?? {};
  return normaliseIdentifiers(
    {
      ...strongRaw,
      ...(device_id !== undefined ? { device_id } : {}),
      ...(ev.anonymous_id !== undefined ? { anonymous_id: ev.anonymous_id } : {}),
    },
    '/identifiers',
  );
}

/** Validates a batch; returns the good events (with channel and identifiers) and the rejections. */
export async function validateBatch(
  batch: unknown[],
  nowMs: number,
  defaultChannel: string | undefined,
  lookup: ChannelLookup,
) {
  const valid: Valid[] = [];
  const rejected: IngestResult['rejected'] = [];
  const channels = new Map<string, ChannelInfo | undefined>();
  for (let index = 0; index < batch.length; index++) {
    const checked = checkEvent(batch[index], nowMs);
    if (!checked.ok) {
      rejected.push(
        reject(index, checked.type, checked.errors.map((e) => `${e.field}: ${e.message}`).join('; '), checked.errors),
      );
      continue;
    }
    const ev = checked.event;
    const code = ev.channel ?? defaultChannel;
    if (!code) {
      rejected.push(
        reject(index, 'validation_failed', '/channel: is required for staff credentials', [
          { field: '/channel', message: 'is required' },
        ]),
      );
      continue;
    }
    if (!channels.has(code)) channels.set(code, await lookup(code));
    const channel = channels.get(code);
    if (!channel) {
      rejected.push(
        reject(index, 'validation_failed', `/channel: channel ${code} does not exist`, [
          { field: '/channel', message: 'is not a known channel' },
        ]),
      );
      continue;
    }
    // most events name their customer only: no identifier objects to build and normalise
    const norm = ev.identifiers === undefined && ev.anonymous_id === undefined ? NO_IDENTIFIERS : identifiersOf(ev);
    if (norm.errors.length) {
      rejected.push(
        reject(index, 'validation_failed', norm.errors.map((e) => `${e.field}: ${e.message}`).join('; '), norm.errors),
      );
      continue;
    }
    const props = JSON.stringify(ev.properties);
    // a UTF-16 code unit is at most 3 UTF-8 bytes: only long texts need counting
    if (props.length * 3 > MAX_PROPERTIES_BYTES && Buffer.byteLength(props) > MAX_PROPERTIES_BYTES) {
      rejected.push(
        reject(index, 'validation_failed', `/properties: larger than ${MAX_PROPERTIES_BYTES} bytes`, [
          { field: '/properties', message: `is larger than ${MAX_PROPERTIES_BYTES} bytes` },
        ]),
      );
      continue;
    }
    if (props.includes('\\u0000') && NUL_ESCAPE.test(props)) {
      rejected.push(
        reject(index, 'validation_failed', '/properties: contains a NUL character (\\u0000)', [
          { field: '/properties', message: 'must not contain the NUL character' },
        ]),
      );
      continue;
    }
    const found = norm.identifiers;
    valid.push({
      index,
      ev,
      ts: checked.ts,
      channel,
      props,
      customer: null,
      strong: found.length ? found.filter((i) => isStrong(i.kind)) : NONE,
      anonymous: found.length ? (found.find((i) => i.kind === 'anonymous_id')?.value ?? null) : null,
      device: found.length ? (found.find((i) => i.kind === 'device_id')?.value ?? null) : null,
    });
  }
  return { valid, rejected };
}

/** Resolves, stores and rolls up the valid events of a batch inside `trx`. */
export async function storeBatch(
  trx: Tx,
  at: Date,
  valid: Valid[],
  source: string,
): Promise<Omit<IngestResult, 'rejected'> & { rejected: IngestResult['rejected'] }> {
  const known = await lookUpIdentities(trx, valid);
  const { rejected, keep, slow } = attributeKnown(valid, known);
  keep.push(...(await identifyNew(trx, at, source, slow, known)));
  const suppressed = valid.length - rejected.length - keep.length;
  if (keep.length === 0) return { accepted: 0, suppressed, duplicates: 0, rejected };
  keep.sort((a, b) => a.index - b.index);
  const { cols, props } = eventColumns(keep, at);
  // PostgreSQL: COPY (events-copy.ts); PGlite, or a batch too small to gain from it: one unnest statement.
  const copyIn = keep.length >= COPY_MIN_EVENTS ? await copyInOf(trx) : undefined;
  const stored = copyIn
    ? await copyEvents(
        trx,
        copyIn,
        cols,
        props,
        keep.map((v) => v.ev.properties),
      )
    : await events.insertEvents(trx, { ...cols, properties: `[${props.join(',')}]` });
  return { accepted: keep.length, suppressed, duplicates: keep.length - stored.n, rejected };
}

type OwnerRow = Awaited<ReturnType<typeof ids.owners>>[number];

/** What the batch's two lookups know: who owns each identifier, the explicit customers, who denied analytics. */
interface Known {
  owned: Map<string, OwnerRow[]>;
  explicitRows: ExplicitRows;
  denied: Set<string>;
}

const anonymousKey = (value: string) => identifierKey({ kind: 'anonymous_id', value });
const deviceKey = (value: string) => identifierKey({ kind: 'device_id', value });

/** The batch's explicit customer ids: a plain profile (its own active root, analytics allowed) unless listed. */
class ExplicitRows {
  private readonly unusual: Map<string, ids.RootRow>;
  private readonly missing: Set<string>;
  constructor(rows: ids.RootRow[], missing: string[]) {
    this.unusual = new Map(rows.map((r) => [r.id, r]));
    this.missing = new Set(missing);
  }
  /** The profile of an id the lookup was asked about; undefined when none exists. */
  get(id: string): ids.RootRow | undefined {
    if (this.missing.has(id)) return undefined;
    return this.unusual.get(id) ?? { id, root_id: id, root_status: 'active', analytics_denied: false };
  }
}

/** One identity lookup for every identifier in the batch and one for the explicit customer ids. */
async function lookUpIdentities(trx: Tx, valid: Valid[]): Promise<Known> {
  const keys = new Map<string, { kind: string; value: string }>();
  const explicit = new Set<string>();
  for (const v of valid) {
    for (const i of v.strong) keys.set(identifierKey(i), i);
    if (v.anonymous) keys.set(anonymousKey(v.anonymous), { kind: 'anonymous_id', value: v.anonymous });
    if (v.device) keys.set(deviceKey(v.device), { kind: 'device_id', value: v.device });
    if (v.ev.customer_id) explicit.add(v.ev.customer_id);
  }
  const ownerRows = await ids.owners(trx, [...keys.values()]);
  const owned = new Map<string, OwnerRow[]>();
  for (const o of ownerRows) owned.set(identifierKey(o), [...(owned.get(identifierKey(o)) ?? []), o]);
  const unusual = await ids.unusualProfiles(trx, [...explicit]);
  const explicitRows = new ExplicitRows(unusual.rows, unusual.missing);
  const denied = new Set<string>();
  for (const o of ownerRows) if (o.analytics_denied) denied.add(o.root_id);
  for (const r of unusual.rows) if (r.analytics_denied) denied.add(r.root_id);
  return { owned, explicitRows, denied };
}

/**
 * Attributes each event from what the lookups know (in memory): an unknown explicit customer is
 * rejected, an event that needs identification (rules.ts `needsIdentification`) is grouped by the
 * identity it names for the slow path, one of a person who denied analytics is dropped.
 */
function attributeKnown(
  valid: Valid[],
  { owned, explicitRows, denied }: Known,
): { rejected: IngestResult['rejected']; keep: Valid[]; slow: Map<string, Valid[]> } {
  const rejected: IngestResult['rejected'] = [];
  const slow = new Map<string, Valid[]>();
  const keep: Valid[] = [];
  for (const v of valid) {
    let root: string | null = null;
    if (v.ev.customer_id) {
      const row = explicitRows.get(v.ev.customer_id);
      if (!row || row.root_status === 'erased') {
        rejected.push(
          reject(v.index, 'not_found', `customer ${v.ev.customer_id} does not exist`, [
            { field: '/customer_id', message: 'is not a known customer' },
          ]),
        );
        continue;
      }
      v.customer = row.id;
      root = row.root_id;
    }
    const strongOwners = v.strong.map((i) => owned.get(identifierKey(i))?.[0]);
    const anonOwner = v.anonymous ? owned.get(anonymousKey(v.anonymous))?.[0] : undefined;
    const deviceOwners = v.device ? (owned.get(deviceKey(v.device)) ?? []) : [];
    const needsIdentify = needsIdentification({
      explicitRoot: root,
      strongRoots: strongOwners.map((o) => o?.root_id),
      anonymous: v.anonymous !== null ? { owned: anonOwner !== undefined } : null,
      device: v.device !== null ? { roots: deviceOwners.map((o) => o.root_id) } : null,
    });
    if (needsIdentify) {
      const sig = JSON.stringify([v.ev.customer_id ?? null, v.strong, v.anonymous, v.device]);
      slow.set(sig, [...(slow.get(sig) ?? []), v]);
      continue;
    }
    if (v.customer === null) {
      const owner = strongOwners[0] ?? anonOwner ?? (deviceOwners.length === 1 ? deviceOwners[0] : undefined);
      v.customer = owner?.customer_id ?? null;
      root = owner?.root_id ?? null;
    }
    if (root && denied.has(root)) continue;
    keep.push(v);
  }
  return { rejected, keep, slow };
}

/** The slow path: one lenient identification per distinct identity; returns the events kept (consent allowing). */
async function identifyNew(
  trx: Tx,
  at: Date,
  source: string,
  slow: Map<string, Valid[]>,
  { explicitRows }: Known,
): Promise<Valid[]> {
  const keep: Valid[] = [];
  for (const group of slow.values()) {
    const v0 = group[0]!;
    const identifiers: Identifier[] = [
      ...v0.strong,
      ...(v0.anonymous ? [{ kind: 'anonymous_id' as const, value: v0.anonymous }] : []),
      ...(v0.device ? [{ kind: 'device_id' as const, value: v0.device }] : []),
    ];
    const explicitRoot = v0.ev.customer_id ? explicitRows.get(v0.ev.customer_id)?.root_id : undefined;
    const res = await identifyInTx(trx, at, {
      identifiers,
      ...(explicitRoot ? { explicitRoot } : {}),
      strict: false,
      source: `events:${source}`,
    });
    const rootRow = await ids.getCustomer(trx, res.customer_id);
    if (rootRow?.analytics_denied) continue;
    for (const v of group) {
      v.customer ??= res.customer_id;
      keep.push(v);
    }
  }
  return keep;
}

/** The kept events as columns, and their properties' JSON texts (COPY lines, or one JSON array for unnest). */
function eventColumns(keep: Valid[], at: Date): { cols: events.EventColumns; props: string[] } {
  const cols: events.EventColumns = events.emptyColumns(at);
  const props: string[] = [];
  for (const v of keep) {
    cols.id.push(newId('cev', at.getTime()));
    cols.client_id.push(v.ev.id ?? null);
    cols.ts.push(v.ts);
    cols.type.push(v.ev.type);
    cols.customer_id.push(v.customer);
    cols.anonymous_id.push(v.anonymous);
    cols.device_id.push(v.device);
    cols.channel.push(v.channel.code);
    cols.channel_kind.push(channelKindOf(v.channel.type, v.ev.type));
    const pid = v.ev.properties.product_id;
    cols.product_id.push(typeof pid === 'string' ? pid : null);
    props.push(v.props);
  }
  return { cols, props };
}
