import { describe, expect, it } from 'vitest';
import { AppError, problems, toProblem } from './problems.js';

describe('AppError', () => {
  it('makes a client problem (4xx) without stack frames, and leaves the limit as it was', () => {
    const before = Error.stackTraceLimit;
    const err = problems.insufficientStock([{ sku: 'A', requested: 2, available: 1 }]);
    expect(err.status).toBe(409);
    expect(err.stack).toBe('AppError: not enough stock for A (asked 2, 1 available)');
    expect(new AppError('unauthorized', 'no credential').stack).not.toContain('\n    at ');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('plain').stack).toContain('\n    at ');
  });

  it('keeps the stack of a server problem (5xx) for the log', () => {
    for (const type of ['internal', 'unavailable'] as const) {
      const err = new AppError(type, 'went wrong');
      expect(err.status).toBeGreaterThanOrEqual(500);
      expect(err.stack).toMatch(/^AppError: went wrong\n {4}at .*problems\.unit\.test\.ts/);
    }
  });

  it('answers the same problem document as before', () => {
    const err = problems.field('email', 'is required');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('AppError');
    expect(err.message).toBe('email: is required');
    expect(toProblem(err, '/v1/x')).toEqual({
      type: 'https://omnia.dev/problems/validation_failed',
      code: 'validation_failed',
      title: 'The request is not valid',
      status: 400,
      detail: 'email: is required',
      instance: '/v1/x',
      errors: [{ field: 'email', message: 'is required' }],
    });
  });
});
