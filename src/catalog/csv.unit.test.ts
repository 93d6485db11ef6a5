import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvError, decodeUtf8, parseCsv } from './csv.js';
import { crossRowErrors, parseAmount, parseRow, readHeader, IMPORT_COLUMNS } from './import-rules.js';

describe('CSV reading', () => {
  it('reads quotes, doubled quotes, commas and newlines in fields, CRLF, and skips blank lines', () => {
    const recs = parseCsv('a,b,c\r\n"x, y","say ""hi""","two\nlines"\n\n1,,3\n');
    expect(recs).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', 'two\nlines'] },
      { line: 5, fields: ['1', '', '3'] },
    ]);
    expect(parseCsv('a,b')).toEqual([{ line: 1, fields: ['a', 'b'] }]);
  });
  /** The CsvError parsing `text` throws (the test fails when none is thrown). */
  const refusal = (text: string): CsvError => {
    try {
      parseCsv(text);
    } catch (e) {
      if (e instanceof CsvError) return e;
      throw e;
    }
    throw new Error(`no CsvError for ${JSON.stringify(text)}`);
  };
  it('refuses an unterminated quote, naming its line', () => {
    expect(refusal('a\n"open,b\nc').line).toBe(2);
  });
  it("refuses text after a quoted field's closing quote, naming its line", () => {
    expect(refusal('"abc"def').line).toBe(1);
    expect(refusal('a,b\n"abc"def,x\n').line).toBe(2);
    expect(refusal('"abc" ,x').line).toBe(1);
    expect(refusal('"a"""b"').line).toBe(1);
    expect(parseCsv('"abc",def\r\n"x"\n')).toEqual([
      { line: 1, fields: ['abc', 'def'] },
      { line: 2, fields: ['x'] },
    ]);
  });
  it('round-trips any fields written the RFC 4180 way (property)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'ñ', ',', '"', '\n', ' ', '1') });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 10 }),
        (rows) => {
          const text = rows.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join('\r\n');
          expect(parseCsv(text).map((r) => r.fields)).toEqual(rows);
        },
      ),
    );
  });
  it('decodes UTF-8 strictly and names the line of a Latin-1 byte', () => {
    expect(decodeUtf8(Buffer.from('\ufeffcódigo,ñ', 'utf8'))).toBe('código,ñ');
    const latin1 = Buffer.concat([Buffer.from('a,b\nc,d\n'), Buffer.from('caf\xe9,x\n', 'latin1')]);
    expect(() => decodeUtf8(latin1)).toThrow(CsvError);
    try {
      decodeUtf8(latin1);
    } catch (e) {
      expect((e as CsvError).line).toBe(3);
    }
  });
});

describe('import rows', () => {
  const header = readHeader([...IMPORT_COLUMNS]);
  const row = (o: Partial<Record<(typeof IMPORT_COLUMNS)[number], string>>) => {
    const base = {
      product_code: 'P1',
      name: 'Camiseta',
      brand: 'Nómada',
      category: 'men/tshirts',
      tax_class: 'standard',
      sku: 'P1-M',
      gtin: '4006381333931',
      size: 'M',
      colour: 'Negro',
      price: '19.95',
      currency: 'EUR',
      sale_price: '',
      weight_g: '200',
      unit_cost: '6.5',
      ...o,
    };
    return IMPORT_COLUMNS.map((c) => base[c]);
  };
  it('needs every column once and nothing else', () => {
    expect(header.errors).toEqual([]);
    const bad = readHeader(['product_code', 'name', 'nombre', 'name']);
    expect(bad.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['nombre', 'name', 'sku', 'price']));
  });
  it('parses amounts in major units into minor units and refuses the rest', () => {
    expect(parseAmount('19.95')).toBe(1995);
    expect(parseAmount('30')).toBe(3000);
    expect(parseAmount('6.5')).toBe(650);
    expect(parseAmount('-1')).toBe('must not be negative');
    expect(parseAmount('19,95')).toMatch(/amount/);
    expect(parseAmount('1.999')).toMatch(/amount/);
  });
  it('reads a good row and names each bad field', () => {
    expect(parseRow(row({}), header.index, 2).row).toMatchObject({
      line: 2,
      variant: { sku: 'P1-M', unit_cost: 650, weight_g: 200 },
      price: { list_amount: 1995, sale_amount: null, currency: 'EUR' },
    });
    const bad = parseRow(
      row({ gtin: '4006381333932', price: '-5', sale_price: 'x', tax_class: 'zero', sku: '', weight_g: '1.5' }),
      header.index,
      7,
    );
    expect(bad.row).toBeUndefined();
    expect(bad.errors.map((e) => `${e.line}:${e.field}`).sort()).toEqual([
      '7:gtin',
      '7:price',
      '7:sale_price',
      '7:sku',
      '7:tax_class',
      '7:weight_g',
    ]);
    expect(parseRow(row({ price: '10', sale_price: '12' }), header.index, 3).errors[0]).toMatchObject({
      field: 'sale_price',
    });
    expect(parseRow(['a', 'b'], header.index, 4).errors[0]).toMatchObject({ field: 'row' });
  });
  it('refuses repeated SKUs and GTINs and rows that disagree on their product', () => {
    const rows = [
      row({}),
      row({ gtin: '' }),
      row({ sku: 'P1-L', gtin: '4006381333931' }),
      row({ sku: 'P1-S', gtin: '', name: 'Other' }),
      row({ sku: 'P1-XL', gtin: '' }),
    ].map((f, i) => parseRow(f, header.index, i + 2).row!);
    const { good, errors } = crossRowErrors(rows);
    expect(good.map((r) => r.line)).toEqual([2, 6]);
    expect(errors.map((e) => `${e.line}:${e.field}`)).toEqual(['3:sku', '4:gtin', '5:name']);
  });
});
