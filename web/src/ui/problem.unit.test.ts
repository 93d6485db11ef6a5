import { describe, expect, it } from 'vitest';
import { fieldError, fieldKey, toProblem, unplacedErrors } from './problem';

describe('problem+json', () => {
  const body = {
    type: 'https://omnia.dev/problems/validation_failed',
    code: 'validation_failed',
    title: 'Validation failed',
    status: 400,
    detail: 'body/quantity: must be integer',
    errors: [
      { field: 'body/quantity', message: 'must be integer' },
      { field: 'body/lines/0/sku', message: 'is required' },
      { field: 'line 3: price', message: 'is not a number' },
    ],
  };
  it('reads a problem body and names fields by their form path', () => {
    const p = toProblem(body, 400);
    expect(p.detail).toBe('body/quantity: must be integer');
    expect(fieldKey('body/lines/0/sku')).toBe('lines.0.sku');
    // a service-level error on a promotion's params is not a path parameter
    expect(fieldKey('params/percent')).toBe('params.percent');
    expect(fieldKey('body/params/percent')).toBe('params.percent');
    expect(fieldKey('querystring/limit')).toBe('limit');
    expect(fieldError(p, 'quantity')).toBe('must be integer');
    expect(fieldError(p, 'lines.0.sku')).toBe('is required');
    expect(fieldError(p, 'reason')).toBeUndefined();
  });
  it('keeps the errors no field shows for the general message', () => {
    const p = toProblem(body, 400);
    expect(unplacedErrors(p, ['quantity', 'lines.0.sku']).map((e) => e.field)).toEqual(['line 3: price']);
  });
  it('copes with bodies that are not problems', () => {
    expect(toProblem('Bad gateway', 502)).toEqual({ status: 502, detail: 'Bad gateway' });
    expect(toProblem(undefined, 500)).toEqual({ status: 500 });
    expect(toProblem({ errors: [{ nope: 1 }] }, 400).errors).toEqual([]);
  });
  it('finds errors of a field’s parts for a field that stands for them (nested)', () => {
    const p = toProblem({ errors: [{ field: 'params/tiers/1/percent', message: 'must be > 0' }] }, 400);
    expect(fieldError(p, 'params.tiers')).toBeUndefined();
    expect(fieldError(p, 'params.tiers', true)).toBe('params.tiers.1.percent: must be > 0');
    expect(unplacedErrors(p, ['params.tiers'])).toEqual([]);
    expect(unplacedErrors(p, ['params.tier'])).toHaveLength(1);
  });
});
