/**
 * A json/jsonb column's value: node-postgres parses it, PGlite and `json_agg` text paths may hand it
 * over as text. Every module reading such columns uses this one reader.
 */
export const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
