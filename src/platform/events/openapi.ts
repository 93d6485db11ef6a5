import type { TObject } from '@sinclair/typebox';

/** TypeBox schemas carry symbol keys; the published documents want plain JSON Schema. */
const plain = (schema: unknown): Record<string, unknown> =>
  JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;

/** The envelope every event is delivered in (webhook body, NATS message), with its payload schema as `data`. */
export function envelopeSchema(type: string, payload: TObject): Record<string, unknown> {
  return {
    type: 'object',
    required: ['id', 'type', 'aggregate_id', 'occurred_at', 'data'],
    properties: {
      id: { type: 'string', description: 'event id (evt_…): de-duplicate on it, delivery is at least once' },
      type: { type: 'string', const: type },
      aggregate_id: { type: ['string', 'null'] },
      occurred_at: { type: 'string', format: 'date-time' },
      data: { ...plain(payload), additionalProperties: true },
    },
  };
}

/**
 * The OpenAPI 3.1 `webhooks` section: one entry per event type, the request we POST to a subscribed
 * URL. Payloads are open: fields may be added, never removed or retyped without a new event type.
 */
export function webhooksDocument(catalog: Record<string, TObject>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(catalog)
      .sort()
      .map((type) => [
        type,
        {
          post: {
            tags: ['events'],
            summary: catalog[type]!.description ?? type,
            description:
              'Sent to each webhook subscribed to this type (or a prefix like `order.*`), signed with its secret: ' +
              '`Omnia-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. Answer 2xx; anything ' +
              'else is retried with back-off. Also published to NATS JetStream as `omnia.events.<type>` when configured.',
            parameters: [
              { name: 'omnia-event-id', in: 'header', required: true, schema: { type: 'string' } },
              { name: 'omnia-event-type', in: 'header', required: true, schema: { type: 'string', const: type } },
              { name: 'omnia-delivery-id', in: 'header', required: true, schema: { type: 'string' } },
              { name: 'omnia-signature', in: 'header', required: true, schema: { type: 'string' } },
            ],
            requestBody: {
              required: true,
              content: { 'application/json': { schema: envelopeSchema(type, catalog[type]!) } },
            },
            responses: { '2XX': { description: 'received' } },
          },
        },
      ]),
  );
}

/** docs/events.md, generated from the same schemas (scripts/events-doc.ts writes it; a test keeps it current). */
export function eventsMarkdown(catalog: Record<string, TObject>): string {
  const out = [
    '# Events',
    '',
    "<!-- Generated from each module's src/<module>/events.ts by `npx tsx scripts/events-doc.ts`; do not edit. -->",
    '',
    'Every state change writes its events to the outbox in the same transaction. They reach in-process',
    'consumers, webhooks (`POST /v1/webhooks`, HMAC-signed) and, when `NATS_URL` is set, NATS JetStream',
    '(subject `omnia.events.<type>`, message id = event id). Delivery is at least once: de-duplicate on `id`.',
    "A channel's webhook receives the events of its channel (payload `channel`/`channel_id`); a global one all.",
    'The outbox keeps a settled event, and a webhook its delivery log, for `OMNIA_EVENTS_KEEP_DAYS` (default 30).',
    '',
    'Each delivery is the envelope `{ id, type, aggregate_id, occurred_at, data }`; `data` is the payload',
    'below. Payloads are open: new fields may appear; declared ones keep their meaning. The same schemas are',
    'in the OpenAPI document (`/openapi.json`, section `webhooks`).',
    '',
    '| Event | When | Payload fields |',
    '| --- | --- | --- |',
  ];
  for (const type of Object.keys(catalog).sort()) {
    const s = catalog[type]!;
    const required = new Set(s.required ?? []);
    const fields = Object.entries(s.properties)
      .map(([name, p]) => `\`${name}\`${required.has(name) ? '' : '?'}: ${typeName(p as Record<string, unknown>)}`)
      .join(', ');
    out.push(`| \`${type}\` | ${s.description ?? ''} | ${fields} |`);
  }
  return `${out.join('\n')}\n`;
}

function typeName(p: Record<string, unknown>): string {
  if (Array.isArray(p.anyOf)) return (p.anyOf as Record<string, unknown>[]).map(typeName).join(' \\| ');
  if (p.type === 'array') return `${typeName((p.items ?? {}) as Record<string, unknown>)}[]`;
  if (p.type === 'object') return p.properties ? 'object' : 'map';
  if (typeof p.type === 'string') return p.type === 'null' ? 'null' : p.type;
  return 'any';
}
