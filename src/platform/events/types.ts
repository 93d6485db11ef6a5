import type { Static, TObject } from '@sinclair/typebox';

/**
 * Every event type and its payload. Empty here: each module adds its events from its own
 * `src/<module>/events.ts` by declaration merging (as tables add to the `DB` interface):
 *
 *   export const catalogEvents = defineEvents({ 'product.created': Type.Object({ … }) });
 *   declare module '../platform/events/types.js' { interface EventMap extends PayloadsOf<typeof catalogEvents> {} }
 *
 * `emit` and `subscribe` are typed by it, and the same TypeBox schemas are published in docs/events.md
 * and in the OpenAPI document's `webhooks` section (src/events-catalog.ts lists them all).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EventMap {}

export type EventType = keyof EventMap & string;

/** A module's event schemas: a payload object schema per type, with a description of when it happens. */
export type EventSchemas = Record<string, TObject>;
export const defineEvents = <S extends EventSchemas>(schemas: S): S => schemas;

/**
 * The payload types of a module's schemas. Payloads are open (fields may be added without breaking
 * consumers, as webhook receivers are told), so extra fields type-check; the declared ones must be right.
 */
export type PayloadsOf<S extends EventSchemas> = { [K in keyof S]: Static<S[K]> & { [field: string]: unknown } };

/** What a module emits: one declared type with its payload (a union over all types, so they pair up). */
export type DomainEvent<T extends EventType = EventType> = {
  [K in T]: { type: K; aggregateId?: string; payload: EventMap[K] };
}[T];

/** What a subscription pattern matches: a type, `prefix.*` (every type under it) or `*`. */
export type EventPattern = EventType | `${string}.*` | '*';
export type TypesMatching<P extends string> = P extends '*'
  ? EventType
  : P extends `${infer Prefix}.*`
    ? Extract<EventType, `${Prefix}.${string}`>
    : Extract<EventType, P>;

/** An event as delivered to subscribers, webhooks and NATS, typed by its type. */
export type TypedEvent<T extends EventType> = {
  [K in T]: { id: string; type: K; aggregate_id: string | null; occurred_at: string; data: EventMap[K] };
}[T];
