/**
 * Amazon returns through the Reports API 2021-06-30, as documented: createReport with
 * GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE from `dataStartTime`, getReport until processingStatus is
 * DONE (CANCELLED/FATAL: an error, the next run asks again), getReportDocument for the pre-signed `url`
 * (and `compressionAlgorithm` GZIP when Amazon compressed it), then the tab-separated file itself,
 * parsed by header name (Amazon adds and reorders columns; only Order ID, Merchant SKU, Return
 * quantity and Return request date are required).
 */
import { gunzipSync } from 'node:zlib';
import type { ResolvedDeps } from '../http.js';
import {
  MalformedResponseError,
  MarketplaceError,
  MarketplaceRejectedError,
  MarketplaceTimeoutError,
  MarketplaceUnavailableError,
  type MarketplaceReturn,
} from '../types.js';

export const RETURNS_REPORT_TYPE = 'GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE';
/** getReport polls within one run before the run gives up (the next run requests a fresh report). */
const MAX_POLLS = 20;
const POLL_MS = 3000;

/** A header as a comparison key: "Return request date" → "returnrequestdate". */
const key = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Amazon writes ISO timestamps; older reports used "15-Jan-2024". Both parse; anything else is null. */
function when(s: string | undefined): Date | null {
  if (!s?.trim()) return null;
  const t = Date.parse(s.trim());
  return Number.isNaN(t) ? null : new Date(t);
}

/** The report's rows as returns, grouped by return (an RMA spans several SKUs as several rows). */
export function parseReturnsReport(text: string): MarketplaceReturn[] {
  const rows = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  if (rows.length === 0) return [];
  const header = rows[0]!.split('\t').map(key);
  const col = (name: string) => header.indexOf(key(name));
  const need = (name: string) => {
    const i = col(name);
    if (i < 0) throw new MalformedResponseError(`returns report: no "${name}" column`);
    return i;
  };
  const [iOrder, iSku, iQty, iRequested] = [
    need('Order ID'),
    need('Merchant SKU'),
    need('Return quantity'),
    need('Return request date'),
  ];
  const opt = (cells: string[], name: string) => {
    const i = col(name);
    const v = i < 0 ? '' : (cells[i] ?? '').trim();
    return v === '' ? null : v;
  };
  const byKey = new Map<string, MarketplaceReturn>();
  for (const [n, line] of rows.slice(1).entries()) {
    const cells = line.split('\t');
    const orderId = (cells[iOrder] ?? '').trim();
    const sku = (cells[iSku] ?? '').trim();
    const quantity = Number((cells[iQty] ?? '').trim());
    const requested = when(cells[iRequested]);
    if (!orderId || !sku || !Number.isInteger(quantity) || quantity < 1 || !requested)
      throw new MalformedResponseError(`returns report: row ${n + 2} lacks order, SKU, quantity or request date`);
    const rma = opt(cells, 'Amazon RMA ID');
    // Without an RMA id the order, SKU and request moment identify the return (stable across reports).
    const k = rma ?? `${orderId}:${sku}:${requested.toISOString()}`;
    const r = byKey.get(k);
    if (r) {
      const l = r.lines.find((x) => x.sku === sku);
      if (l) l.quantity += quantity;
      else r.lines.push({ sku, quantity });
      continue;
    }
    byKey.set(k, {
      external_key: k,
      external_order_id: orderId,
      lines: [{ sku, quantity }],
      reason: opt(cells, 'Return reason'),
      requested_at: requested,
      received_at: when(opt(cells, 'Return delivery date') ?? undefined),
      disposition: opt(cells, 'Resolution') ?? opt(cells, 'Return type'),
      raw_status: opt(cells, 'Return request status'),
    });
  }
  return [...byKey.values()];
}

type Call = (req: {
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  retryOnTimeout?: boolean;
}) => Promise<unknown>;

/** createReport → getReport (polled) → getReportDocument → download (+ gunzip) → parsed returns. */
export async function fetchReturnsReport(
  call: Call,
  d: ResolvedDeps,
  marketplaceId: string,
  since: Date,
): Promise<MarketplaceReturn[]> {
  const created = (await call({
    operation: 'reports.createReport',
    method: 'POST',
    path: '/reports/2021-06-30/reports',
    body: JSON.stringify({
      reportType: RETURNS_REPORT_TYPE,
      marketplaceIds: [marketplaceId],
      dataStartTime: since.toISOString(),
    }),
    // A second report for the same window is harmless (its returns are keyed): a timeout may be retried.
    retryOnTimeout: true,
  })) as { reportId?: unknown } | null;
  if (!created || typeof created.reportId !== 'string')
    throw new MalformedResponseError('createReport: no reportId in the answer');
  const reportId = created.reportId;
  let documentId: string | null = null;
  for (let poll = 0; poll < MAX_POLLS && !documentId; poll++) {
    const r = (await call({
      operation: 'reports.getReport',
      method: 'GET',
      path: `/reports/2021-06-30/reports/${encodeURIComponent(reportId)}`,
    })) as { processingStatus?: unknown; reportDocumentId?: unknown } | null;
    const status = r?.processingStatus;
    if (typeof status !== 'string') throw new MalformedResponseError('getReport: no processingStatus');
    if (status === 'CANCELLED' || status === 'FATAL')
      // CANCELLED also means "no data in the window" for some report types; either way nothing to read now.
      throw new MarketplaceRejectedError(`returns report ${reportId} ended ${status}`);
    if (status === 'DONE') {
      if (typeof r?.reportDocumentId !== 'string')
        throw new MalformedResponseError('getReport: DONE without reportDocumentId');
      documentId = r.reportDocumentId;
    } else await d.sleep(POLL_MS);
  }
  if (!documentId)
    throw new MarketplaceUnavailableError(`returns report ${reportId} not ready after ${MAX_POLLS} polls`);
  const doc = (await call({
    operation: 'reports.getReportDocument',
    method: 'GET',
    path: `/reports/2021-06-30/documents/${encodeURIComponent(documentId)}`,
  })) as { url?: unknown; compressionAlgorithm?: unknown } | null;
  if (!doc || typeof doc.url !== 'string') throw new MalformedResponseError('getReportDocument: no url');
  const bytes = await download(d, doc.url);
  let text: string;
  try {
    text = (doc.compressionAlgorithm === 'GZIP' ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (err) {
    throw new MalformedResponseError(`returns report: not GZIP as announced (${(err as Error).message})`);
  }
  return parseReturnsReport(text);
}

/**
 * The document's bytes from its pre-signed URL (no access token: it is not an SP-API endpoint). Read
 * as bytes, not text, because a GZIP document is binary; the guarded fetch of the deps still applies.
 */
async function download(d: ResolvedDeps, url: string): Promise<Buffer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), d.timeoutMs);
  try {
    const res = await d.fetch(url, { method: 'GET', signal: controller.signal });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status < 200 || res.status >= 300)
      throw new MarketplaceUnavailableError(`reports.download: status ${res.status}`, res.status);
    return body;
  } catch (err) {
    if (err instanceof MarketplaceError) throw err;
    if (controller.signal.aborted)
      throw new MarketplaceTimeoutError(`reports.download: no answer within ${d.timeoutMs} ms`);
    throw new MarketplaceUnavailableError(`reports.download: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
