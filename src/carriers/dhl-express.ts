/**
 * DHL Express through the MyDHL API (REST, JSON, HTTP Basic auth), as documented at
 * https://developer.dhl.com/api-reference/dhl-express-mydhl-api — GET /rates (one-piece rating with
 * products, prices and transit days), POST /shipments (an air waybill and its base64 label
 * documents), GET /shipments/{shipmentTrackingNumber}/tracking (checkpoints). The same code runs
 * against the real endpoint given credentials and against test/carriers/fakes/dhl-fake.ts.
 *
 * Every call has a deadline (AbortSignal.timeout): a carrier that hangs costs the checkout at most
 * `timeoutMs`, then the rate table answers. Answers are checked field by field: a shape we do not
 * recognise is `malformed` (retried later), never half-read.
 */
import { randomUUID } from 'node:crypto';
import { dhlStatus, kilograms, toMinor } from './rules.js';
import {
  CarrierError,
  type Carrier,
  type CarrierAddress,
  type CreatedShipment,
  type RateQuote,
  type RateRequest,
  type ShipmentRequest,
  type TrackingCheckpoint,
  type TrackingReport,
} from './types.js';

export interface DhlExpressConfig {
  /** https://express.api.dhl.com/mydhlapi (production) or …/mydhlapi/test (DHL's test environment). */
  baseUrl: string;
  username: string;
  password: string;
  /** The shipper account number billed for rates and labels. */
  accountNumber: string;
  timeoutMs: number;
}

export const DHL_EXPRESS = 'dhl_express';
export const DHL_PRODUCTION_URL = 'https://express.api.dhl.com/mydhlapi';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function malformed(what: string): never {
  throw new CarrierError('malformed', `DHL Express answered without ${what}`);
}

export function dhlExpress(cfg: DhlExpressConfig): Carrier {
  const auth = `Basic ${Buffer.from(`${cfg.username}:${cfg.password}`).toString('base64')}`;
  const base = cfg.baseUrl.replace(/\/+$/, '');

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Json> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: auth,
          accept: 'application/json',
          // MyDHL asks for a 28–36 character message reference per request (support traces it).
          'message-reference': randomUUID(),
          'message-reference-date': new Date().toUTCString(),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(cfg.timeoutMs),
      });
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new CarrierError('timeout', `DHL Express did not answer within ${cfg.timeoutMs} ms`);
      throw new CarrierError('unavailable', `DHL Express unreachable: ${(err as Error).message}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      throw new CarrierError('timeout', `DHL Express did not finish its answer within ${cfg.timeoutMs} ms`);
    }
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      if (res.ok)
        throw new CarrierError('malformed', `DHL Express answered ${res.status} with a body that is not JSON`);
    }
    if (res.ok) {
      if (!isObj(json)) malformed('a JSON object');
      return json;
    }
    // MyDHL errors are problem documents: { instance, detail, title, status }.
    const detail = (isObj(json) && (str(json.detail) ?? str(json.title))) || `HTTP ${res.status}`;
    if (res.status === 429) {
      const ra = res.headers.get('retry-after');
      const ms = ra && /^\d+$/.test(ra.trim()) ? Number(ra) * 1000 : null;
      throw new CarrierError('throttled', `DHL Express throttled the request: ${detail}`, ms);
    }
    if (res.status === 401 || res.status === 403)
      throw new CarrierError('auth', `DHL Express refused the credentials: ${detail}`);
    if (res.status >= 500) throw new CarrierError('unavailable', `DHL Express failed (${res.status}): ${detail}`);
    throw new CarrierError('rejected', `DHL Express refused the request (${res.status}): ${detail}`);
  }

  const dims = (req: { parcels: RateRequest['parcels'] }) => {
    const p = req.parcels[0];
    return { length: p?.length_cm ?? 30, width: p?.width_cm ?? 20, height: p?.height_cm ?? 10 };
  };

  return {
    code: DHL_EXPRESS,

    async rates(req) {
      const weight = req.parcels.reduce((w, p) => w + p.weight_g, 0);
      const d = dims(req);
      const q = new URLSearchParams({
        accountNumber: cfg.accountNumber,
        originCountryCode: req.from.country,
        originPostalCode: req.from.postal_code,
        originCityName: req.from.city,
        destinationCountryCode: req.to.country,
        destinationPostalCode: req.to.postal_code,
        destinationCityName: req.to.city,
        weight: String(kilograms(weight)),
        length: String(d.length),
        width: String(d.width),
        height: String(d.height),
        plannedShippingDate: req.ship_date,
        isCustomsDeclarable: 'false',
        unitOfMeasurement: 'metric',
      });
      const json = await call('GET', `/rates?${q}`);
      if (!Array.isArray(json.products)) malformed('products');
      return json.products.map((p): RateQuote => {
        if (!isObj(p)) malformed('a product object');
        const code = str(p.productCode) ?? malformed('productCode');
        // The billing-currency price (BILLC) is what the account pays; take it, else the first price.
        const prices = Array.isArray(p.totalPrice) ? p.totalPrice.filter(isObj) : [];
        const price = prices.find((x) => x.currencyType === 'BILLC') ?? prices[0] ?? malformed('totalPrice');
        const amount = num(price.price) ?? malformed('totalPrice.price');
        const currency = str(price.priceCurrency) ?? malformed('totalPrice.priceCurrency');
        const caps = isObj(p.deliveryCapabilities) ? p.deliveryCapabilities : malformed('deliveryCapabilities');
        const days = num(caps.totalTransitDays) ?? malformed('deliveryCapabilities.totalTransitDays');
        return {
          carrier: DHL_EXPRESS,
          product_code: code,
          product_name: str(p.productName) ?? code,
          amount: toMinor(amount),
          currency,
          transit_days: Math.max(0, Math.round(days)),
        };
      });
    },

    async createShipment(req: ShipmentRequest): Promise<CreatedShipment> {
      const party = (a: CarrierAddress) => ({
        postalAddress: { postalCode: a.postal_code, cityName: a.city, countryCode: a.country, addressLine1: a.line1 },
        contactInformation: {
          fullName: a.name,
          companyName: a.company ?? a.name,
          phone: a.phone ?? '000000000',
          ...(a.email ? { email: a.email } : {}),
        },
      });
      const body = {
        plannedShippingDateAndTime: `${req.ship_date}T17:00:00 GMT+00:00`,
        pickup: { isRequested: false },
        productCode: req.product_code ?? (req.from.country === req.to.country ? 'N' : 'U'),
        accounts: [{ typeCode: 'shipper', number: cfg.accountNumber }],
        customerReferences: [{ value: req.reference, typeCode: 'CU' }],
        outputImageProperties: {
          encodingFormat: req.label_format,
          imageOptions: [{ typeCode: 'label', templateName: 'ECOM26_84_001' }],
        },
        customerDetails: { shipperDetails: party(req.from), receiverDetails: party(req.to) },
        content: {
          packages: req.parcels.map((p) => ({
            weight: kilograms(p.weight_g),
            dimensions: { length: p.length_cm ?? 30, width: p.width_cm ?? 20, height: p.height_cm ?? 10 },
            customerReferences: [{ value: req.reference, typeCode: 'CU' }],
          })),
          isCustomsDeclarable: false,
          description: req.description.slice(0, 70),
          incoterm: 'DAP',
          unitOfMeasurement: 'metric',
        },
      };
      const json = await call('POST', '/shipments', body);
      const tracking = str(json.shipmentTrackingNumber) ?? malformed('shipmentTrackingNumber');
      const docs = Array.isArray(json.documents) ? json.documents.filter(isObj) : malformed('documents');
      const label = docs.find((d) => d.typeCode === 'label') ?? malformed('a label document');
      const content = str(label.content) ?? malformed('the label content');
      if (!/^[A-Za-z0-9+/=\r\n]+$/.test(content)) malformed('base64 label content');
      const fmt = String(label.imageFormat ?? req.label_format).toLowerCase();
      return {
        tracking_number: tracking,
        tracking_url: str(json.trackingUrl),
        label: { format: fmt === 'zpl' ? 'zpl' : 'pdf', base64: content.replace(/\s+/g, '') },
      };
    },

    async findByReference(reference, shipDate) {
      // Tracking by the customer reference we sent (type CU), within the days around the ship date.
      const day = 86_400_000;
      const at = Date.parse(`${shipDate}T00:00:00Z`);
      const q = new URLSearchParams({
        shipmentReference: reference,
        shipmentReferenceType: 'customer-reference',
        shipperAccountNumber: cfg.accountNumber,
        dateRangeFrom: new Date(at - day).toISOString().slice(0, 10),
        dateRangeTo: new Date(at + 2 * day).toISOString().slice(0, 10),
        trackingView: 'shipment-details-only',
      });
      let found: Json;
      try {
        found = await call('GET', `/tracking?${q}`);
      } catch (err) {
        // "No shipment found" is a 404 problem document: nothing was bought under this reference. Any
        // other refusal of the search is treated alike (creating is then the only way forward);
        // throttling, timeouts and outages are thrown, so the request is tried again later.
        if (err instanceof CarrierError && err.failure === 'rejected') return null;
        throw err;
      }
      const first = Array.isArray(found.shipments) ? found.shipments.find(isObj) : undefined;
      const number = first && str(first.shipmentTrackingNumber);
      if (!number) return null;
      // The label again, from the documents DHL keeps for the shipment (Get Image).
      const img = await call(
        'GET',
        `/shipments/${encodeURIComponent(number)}/get-image?${new URLSearchParams({
          shipperAccountNumber: cfg.accountNumber,
          typeCode: 'label',
          pickupYearAndMonth: shipDate.slice(0, 7),
        })}`,
      );
      const doc = Array.isArray(img.documents) ? img.documents.find(isObj) : undefined;
      const content = (doc && str(doc.content)) ?? malformed('the label document of the found shipment');
      const fmt = String(doc?.encodingFormat ?? 'pdf').toLowerCase();
      return {
        tracking_number: number,
        tracking_url: null,
        label: { format: fmt === 'zpl' ? 'zpl' : 'pdf', base64: content },
      };
    },

    async tracking(trackingNumber) {
      const json = await call(
        'GET',
        `/shipments/${encodeURIComponent(trackingNumber)}/tracking?trackingView=all-checkpoints&levelOfDetail=shipment`,
      );
      const [report] = parseShipments(json);
      return report ?? { tracking_number: trackingNumber, checkpoints: [] };
    },

    parseTrackingPush(body) {
      if (!isObj(body)) malformed('a JSON object');
      return parseShipments(body);
    },
  };
}

/** The tracking response's `shipments[]` (also the shape we accept on the tracking webhook). */
function parseShipments(json: Json): TrackingReport[] {
  if (!Array.isArray(json.shipments)) malformed('shipments');
  return json.shipments.map((s) => {
    if (!isObj(s)) malformed('a shipment object');
    const number = str(s.shipmentTrackingNumber) ?? malformed('shipmentTrackingNumber');
    const events = Array.isArray(s.events) ? s.events : malformed('events');
    return { tracking_number: number, checkpoints: events.map(checkpoint) };
  });
}

function checkpoint(e: unknown): TrackingCheckpoint {
  if (!isObj(e)) malformed('an event object');
  const code = str(e.typeCode) ?? malformed('events[].typeCode');
  const date = str(e.date) ?? malformed('events[].date');
  const time = str(e.time) ?? '00:00:00';
  // MyDHL gives local date and time plus GMTOffset; without the offset the time is read as UTC.
  const offset = str(e.GMTOffset) ?? 'Z';
  const at = new Date(`${date}T${time}${offset}`);
  if (Number.isNaN(at.getTime())) malformed('a readable event date');
  return { code, status: dhlStatus(code), description: str(e.description), occurred_at: at.toISOString() };
}
