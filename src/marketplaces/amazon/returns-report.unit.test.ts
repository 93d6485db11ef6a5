import { describe, expect, it } from 'vitest';
import { parseReturnsReport } from './returns-report.js';
import { MalformedResponseError } from '../types.js';

const tsv = (rows: string[][]) => rows.map((r) => r.join('\t')).join('\r\n');

describe('Amazon returns report parsing', () => {
  it('reads columns by header name, in any order, grouping an RMA spanning several SKUs', () => {
    const out = parseReturnsReport(
      '\uFEFF' +
        tsv([
          [
            'Merchant SKU',
            'Return quantity',
            'Order ID',
            'Return request date',
            'Amazon RMA ID',
            'Return reason',
            'Resolution',
            'Return delivery date',
            'Return request status',
          ],
          [
            'A',
            '1',
            '402-1',
            '2026-11-01T10:00:00+00:00',
            'RMA1',
            'DEFECTIVE',
            'StandardRefund',
            '2026-11-05T00:00:00Z',
            'Approved',
          ],
          ['B', '2', '402-1', '2026-11-01T10:00:00+00:00', 'RMA1', 'DEFECTIVE', 'StandardRefund', '', 'Approved'],
          ['A', '1', '402-1', '2026-11-01T10:00:00+00:00', 'RMA1', 'DEFECTIVE', 'StandardRefund', '', 'Approved'],
        ]),
    );
    expect(out).toEqual([
      {
        external_key: 'RMA1',
        external_order_id: '402-1',
        lines: [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 2 },
        ],
        reason: 'DEFECTIVE',
        requested_at: new Date('2026-11-01T10:00:00Z'),
        received_at: new Date('2026-11-05T00:00:00Z'),
        disposition: 'StandardRefund',
        raw_status: 'Approved',
      },
    ]);
  });

  it('keys a return without RMA id by order, SKU and request moment; optional columns may be missing', () => {
    const text = tsv([
      ['Order ID', 'Merchant SKU', 'Return quantity', 'Return request date'],
      ['402-2', 'C', '1', '15-Jan-2026'],
    ]);
    const [r] = parseReturnsReport(text);
    expect(r!.external_key).toBe(`402-2:C:${r!.requested_at.toISOString()}`);
    expect(r).toMatchObject({ received_at: null, reason: null, disposition: null, raw_status: null });
    // Stable: the same row read again gives the same key.
    expect(parseReturnsReport(text)[0]!.external_key).toBe(r!.external_key);
  });

  it('an empty report is no returns; a missing required column or a broken row is malformed', () => {
    expect(parseReturnsReport('')).toEqual([]);
    expect(parseReturnsReport(tsv([['Order ID', 'Merchant SKU', 'Return quantity', 'Return request date']]))).toEqual(
      [],
    );
    expect(() =>
      parseReturnsReport(
        tsv([
          ['Order ID', 'Merchant SKU', 'Return quantity'],
          ['1', 'A', '1'],
        ]),
      ),
    ).toThrow(MalformedResponseError);
    expect(() =>
      parseReturnsReport(
        tsv([
          ['Order ID', 'Merchant SKU', 'Return quantity', 'Return request date'],
          ['402-3', 'A', 'two', '2026-11-01T00:00:00Z'],
        ]),
      ),
    ).toThrow(/row 2/);
  });
});
