import { Type, type TProperties, type ObjectOptions, type TSchema } from '@sinclair/typebox';

/** Request bodies are closed: an unknown field is an error, never silently dropped. */
export const Strict = <T extends TProperties>(props: T, opts: ObjectOptions = {}) =>
  Type.Object(props, { additionalProperties: false, ...opts });

export const Id = (prefix: string) =>
  Type.String({ pattern: `^${prefix}_[0-9A-Z]{26}$`, description: `${prefix}_… id` });
export const Code = Type.String({
  pattern: '^[a-z0-9][a-z0-9_-]{0,63}$',
  description: 'lower-case code: letters, digits, _ and -',
});
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' });
export const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });
/** Integer amounts fit in PostgreSQL int4; larger quantities are refused, never clamped. */
export const Int32 = { minimum: -2147483648, maximum: 2147483647 };
export const Quantity = Type.Integer({ minimum: 1, maximum: 2147483647 });
export const Money = Strict({ amount: Type.Integer({ minimum: 0, maximum: 99_999_999_999 }), currency: Currency });
export const Timestamp = Type.String({ format: 'date-time' });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    code: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, $id: 'Problem' },
);

/** Standard error responses to list in a route's schema so OpenAPI shows them. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of statuses) out[s] = ProblemSchema;
  return out;
}

/** A string enum that keeps its literal type in TypeScript and shows as `enum` in OpenAPI. */
export const StringEnum = <const T extends readonly string[]>(values: T, opts: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });
