/** A small RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF or LF) and strict UTF-8 decoding. Pure. */

export interface CsvRecord {
  /** 1-based line where the record starts (a quoted field may span lines). */
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(
    public readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Decodes UTF-8 strictly (a stray Latin-1 byte is an error naming its line), dropping a BOM. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    // Find the first bad byte to say where: decode growing prefixes line by line.
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, i));
        } catch {
          throw new CsvError(line, 'the file is not UTF-8 text (save it as CSV UTF-8)');
        }
        line++;
        start = i + 1;
      }
    }
    throw new CsvError(line, 'the file is not UTF-8 text (save it as CSV UTF-8)');
  }
}

/** Splits text into records. Blank lines are skipped. An unterminated quote is an error. */
export function parseCsv(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  /** Just past a quoted field's closing quote: only a comma or the end of the record may follow. */
  let closed = false;
  let fieldStarted = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '' && !fieldStarted)) out.push({ line: recordLine, fields });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          closed = true;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (closed && c !== ',' && c !== '\n' && c !== '\r') {
      throw new CsvError(
        line,
        "text after a quoted field's closing quote (quote the whole field, doubling inner quotes)",
      );
    }
    closed = false;
    if (c === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) throw new CsvError(recordLine, 'a quoted field is never closed');
  if (field !== '' || fields.length > 0 || fieldStarted) endRecord();
  return out;
}
