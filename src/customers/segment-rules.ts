/**
 * The segment condition language: a small closed set of fields and operators, combined with
 * all / any / not. Validated on save (so a saved segment always evaluates) and evaluated here,
 * purely, against one person's metrics and traits.
 *
 *   { "all": [ { "field": "channel_mix", "op": "eq", "value": "omnichannel" },
 *              { "field": "churn_level", "op": "in", "value": ["medium", "high"] },
 *              { "field": "viewed_category", "op": "contains", "value": "shoes" } ] }
 */
import type { FieldError } from '../platform/http/problems.js';
import type { ConsentPurpose, CustomerMetrics, Traits } from './types.js';

export type Condition =
  { all: Condition[] } | { any: Condition[] } | { not: Condition } | { field: string; op: string; value?: unknown };

type FieldKind = 'number' | 'string' | 'list';
export const SEGMENT_FIELDS: Record<string, FieldKind> = {
  orders_count: 'number',
  total_spent: 'number',
  average_basket: 'number',
  visits: 'number',
  days_since_last_seen: 'number',
  visit_frequency_days: 'number',
  churn_score: 'number',
  churn_level: 'string',
  rfm_r: 'number',
  rfm_f: 'number',
  rfm_m: 'number',
  rfm_segment: 'string',
  channel_mix: 'string',
  online_share: 'number',
  store_share: 'number',
  returns_count: 'number',
  preferred_size: 'list',
  favourite_category: 'list',
  viewed_category: 'list',
  preferred_store: 'string',
  consent: 'list',
};
const OPS: Record<FieldKind, readonly string[]> = {
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'exists'],
  string: ['eq', 'ne', 'in', 'exists'],
  list: ['contains', 'contains_any', 'exists'],
};
export const MAX_DEPTH = 4;
export const MAX_CONDITIONS = 50;

/** Field errors of a definition, empty when it is valid. */
export function segmentErrors(def: unknown): FieldError[] {
  const errors: FieldError[] = [];
  let count = 0;
  const walk = (c: unknown, path: string, depth: number): void => {
    if (depth > MAX_DEPTH) return void errors.push({ field: path, message: `nesting deeper than ${MAX_DEPTH}` });
    if (typeof c !== 'object' || c === null || Array.isArray(c))
      return void errors.push({ field: path, message: 'must be a condition object' });
    const o = c as Record<string, unknown>;
    const keys = Object.keys(o);
    if ('all' in o || 'any' in o) {
      const k = 'all' in o ? 'all' : 'any';
      if (keys.length !== 1) return void errors.push({ field: path, message: `${k} must be the only key` });
      const list = o[k];
      if (!Array.isArray(list) || list.length === 0)
        return void errors.push({ field: `${path}/${k}`, message: 'must be a non-empty list' });
      list.forEach((x, i) => walk(x, `${path}/${k}/${i}`, depth + 1));
      return;
    }
    if ('not' in o) {
      if (keys.length !== 1) return void errors.push({ field: path, message: 'not must be the only key' });
      return walk(o.not, `${path}/not`, depth + 1);
    }
    count += 1;
    const extra = keys.filter((k) => !['field', 'op', 'value'].includes(k));
    if (extra.length) errors.push({ field: `${path}/${extra[0]}`, message: 'is not a known key' });
    const kind = typeof o.field === 'string' ? SEGMENT_FIELDS[o.field] : undefined;
    if (!kind)
      return void errors.push({
        field: `${path}/field`,
        message: `must be one of ${Object.keys(SEGMENT_FIELDS).join(', ')}`,
      });
    if (typeof o.op !== 'string' || !OPS[kind].includes(o.op))
      return void errors.push({
        field: `${path}/op`,
        message: `must be one of ${OPS[kind].join(', ')} for ${o.field}`,
      });
    const v = o.value;
    if (o.op === 'exists') {
      if (v !== undefined && typeof v !== 'boolean')
        errors.push({ field: `${path}/value`, message: 'must be true or false' });
      return;
    }
    const okScalar =
      kind === 'number'
        ? typeof v === 'number' && Number.isFinite(v)
        : typeof v === 'string' && v.length > 0 && v.length <= 200;
    const okList =
      Array.isArray(v) &&
      v.length > 0 &&
      v.length <= 100 &&
      v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 200);
    const wantsList = o.op === 'in' || o.op === 'contains_any';
    if (wantsList ? !okList : !okScalar) {
      errors.push({
        field: `${path}/value`,
        message: wantsList
          ? 'must be a non-empty list of strings'
          : kind === 'number'
            ? 'must be a number'
            : 'must be a non-empty string',
      });
    }
  };
  walk(def, '/definition', 1);
  if (count > MAX_CONDITIONS) errors.push({ field: '/definition', message: `at most ${MAX_CONDITIONS} conditions` });
  return errors;
}

/** What a condition is evaluated against. */
export interface SegmentSubject {
  metrics: CustomerMetrics;
  traits: Traits;
  viewedCategories: string[];
  consents: ConsentPurpose[];
}

export function fieldValue(s: SegmentSubject, field: string): number | string | string[] | null {
  const m = s.metrics;
  switch (field) {
    case 'orders_count':
      return m.orders_count;
    case 'total_spent':
      return m.total_spent?.amount ?? 0;
    case 'average_basket':
      return m.average_basket?.amount ?? null;
    case 'visits':
      return m.visits;
    case 'days_since_last_seen':
      return m.churn_risk.days_since_last_visit;
    case 'visit_frequency_days':
      return m.visit_frequency_days;
    case 'churn_score':
      return m.churn_risk.score;
    case 'churn_level':
      return m.churn_risk.level;
    case 'rfm_r':
      return m.rfm.r;
    case 'rfm_f':
      return m.rfm.f;
    case 'rfm_m':
      return m.rfm.m;
    case 'rfm_segment':
      return m.rfm.segment;
    case 'channel_mix':
      return m.channel_mix.class;
    case 'online_share':
      return m.channel_mix.online_share;
    case 'store_share':
      return m.channel_mix.store_share;
    case 'returns_count':
      return m.returns_count;
    case 'preferred_size':
      return s.traits.preferred_sizes;
    case 'favourite_category':
      return s.traits.favourite_categories;
    case 'viewed_category':
      return s.viewedCategories;
    case 'preferred_store':
      return s.traits.preferred_store;
    case 'consent':
      return s.consents;
    default:
      return null;
  }
}

/** Evaluates a validated definition. A missing value satisfies only `exists: false` and `ne`. */
export function matches(c: Condition, s: SegmentSubject): boolean {
  if ('all' in c) return c.all.every((x) => matches(x, s));
  if ('any' in c) return c.any.some((x) => matches(x, s));
  if ('not' in c) return !matches(c.not, s);
  const v = fieldValue(s, c.field);
  const present = v !== null && !(Array.isArray(v) && v.length === 0);
  switch (c.op) {
    case 'exists':
      return present === (c.value ?? true);
    case 'eq':
      return v === c.value;
    case 'ne':
      return v !== c.value;
    case 'gt':
      return typeof v === 'number' && v > (c.value as number);
    case 'gte':
      return typeof v === 'number' && v >= (c.value as number);
    case 'lt':
      return typeof v === 'number' && v < (c.value as number);
    case 'lte':
      return typeof v === 'number' && v <= (c.value as number);
    case 'in':
      return typeof v === 'string' && (c.value as string[]).includes(v);
    case 'contains':
      return Array.isArray(v) && v.includes(c.value as string);
    case 'contains_any':
      return Array.isArray(v) && (c.value as string[]).some((x) => v.includes(x));
    default:
      return false;
  }
}
