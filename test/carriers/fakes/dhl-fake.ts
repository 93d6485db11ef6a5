/**
 * A local MyDHL API (DHL Express) for tests: the documented request and answer shapes of GET /rates,
 * POST /shipments and GET /shipments/{n}/tracking, with HTTP Basic auth checked as the real one does
 * (401 problem document otherwise). Tests inject throttling (429 with Retry-After), hangs longer than
 * the client's deadline, server errors and malformed answers, and push tracking checkpoints.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** `hang_after`: the shipment is made, then the answer never comes (a crash or timeout after DHL acted). */
export type Fault = '429' | 'hang' | 'hang_after' | 'malformed' | '500' | '422';
type Kind = 'rates' | 'shipments' | 'tracking' | 'lookup';

export interface FakeEvent {
  typeCode: string;
  date: string;
  time: string;
  GMTOffset?: string;
  description?: string;
}

export interface FakeShipment {
  number: string;
  reference: string | null;
  body: Record<string, unknown>;
  events: FakeEvent[];
}

/** A small but real PDF: what a label document decodes to. */
export const FAKE_LABEL_PDF = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';

export interface DhlFake {
  url: string;
  username: string;
  password: string;
  account: string;
  shipments: FakeShipment[];
  /** Requests seen, by kind (what a test counts to prove "called once"). */
  calls: Record<Kind, number>;
  /** Price (major units) and transit days by destination country. */
  rates: Map<string, { price: number; days: number; currency?: string }>;
  /** The next `times` requests of `kind` fail with `fault`. */
  fail(kind: Kind, fault: Fault, times?: number): void;
  addEvent(trackingNumber: string, e: FakeEvent): void;
  close(): Promise<void>;
}

export async function startDhlFake(opts: { hangMs?: number } = {}): Promise<DhlFake> {
  const username = 'omnia-test';
  const password = 'p4ss-w0rd';
  const account = '950000000';
  const shipments: FakeShipment[] = [];
  const calls: Record<Kind, number> = { rates: 0, shipments: 0, tracking: 0, lookup: 0 };
  const faults: { kind: Kind; fault: Fault; times: number }[] = [];
  const rates = new Map<string, { price: number; days: number; currency?: string }>([
    ['ES', { price: 7.9, days: 1 }],
    ['PT', { price: 12.5, days: 2 }],
  ]);
  let seq = 0;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const problem = (res: ServerResponse, status: number, title: string, detail: string, instance: string) =>
    send(res, status, { instance, detail, title, status: String(status) });

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let s = '';
      req.on('data', (c) => (s += c));
      req.on('end', () => resolve(s));
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/mydhlapi/, '');
    const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return problem(res, 401, 'Unauthorized', 'Invalid credentials', path);
    const kind: Kind | null =
      req.method === 'GET' && path === '/rates'
        ? 'rates'
        : req.method === 'POST' && path === '/shipments'
          ? 'shipments'
          : req.method === 'GET' && /^\/shipments\/[^/]+\/tracking$/.test(path)
            ? 'tracking'
            : req.method === 'GET' && (path === '/tracking' || /^\/shipments\/[^/]+\/get-image$/.test(path))
              ? 'lookup'
              : null;
    if (!kind) return problem(res, 404, 'Not Found', `no route ${req.method} ${path}`, path);
    calls[kind]++;
    const body = req.method === 'POST' ? await readBody(req) : '';
    const f = faults.find((x) => x.kind === kind && x.times > 0);
    if (f) {
      f.times--;
      if (f.fault === '429')
        return send(
          res,
          429,
          { instance: path, detail: 'Too many requests', title: 'Too Many Requests', status: '429' },
          { 'retry-after': '1' },
        );
      if (f.fault === '500') return problem(res, 500, 'Internal Server Error', 'backend unavailable', path);
      if (f.fault === '422') return problem(res, 422, 'Unprocessable Entity', 'Invalid postal code', path);
      if (f.fault === 'malformed')
        return send(res, 200, kind === 'rates' ? { products: [{ productCode: 'N' }] } : '<html>oops');
      // hang: answer only after the client has given up
      if (f.fault === 'hang') {
        await new Promise((r) => setTimeout(r, opts.hangMs ?? 3000));
        if (res.destroyed) return;
      }
    }
    if (kind === 'lookup') {
      if (path === '/tracking') {
        const ref = url.searchParams.get('shipmentReference');
        if (url.searchParams.get('shipperAccountNumber') !== account || !url.searchParams.get('dateRangeFrom'))
          return problem(res, 400, 'Bad Request', 'reference search needs the shipper account and a date range', path);
        const found = shipments.filter((x) => x.reference === ref);
        if (!found.length) return problem(res, 404, 'Not Found', 'No shipments found', path);
        return send(res, 200, {
          shipments: found.map((x) => ({ shipmentTrackingNumber: x.number, status: 'Success', events: [] })),
        });
      }
      const n = decodeURIComponent(path.split('/')[2]!);
      const x = shipments.find((y) => y.number === n);
      if (!x || url.searchParams.get('typeCode') !== 'label' || !url.searchParams.get('pickupYearAndMonth'))
        return problem(res, 404, 'Not Found', 'no such document', path);
      return send(res, 200, {
        documents: [
          {
            shipmentTrackingNumber: n,
            typeCode: 'label',
            encodingFormat: 'PDF',
            content: Buffer.from(FAKE_LABEL_PDF).toString('base64'),
          },
        ],
      });
    }
    if (kind === 'rates') {
      for (const q of ['accountNumber', 'originCountryCode', 'destinationCountryCode', 'weight', 'plannedShippingDate'])
        if (!url.searchParams.get(q)) return problem(res, 400, 'Bad Request', `missing query parameter ${q}`, path);
      if (url.searchParams.get('accountNumber') !== account)
        return problem(res, 400, 'Bad Request', 'account number not valid', path);
      const to = url.searchParams.get('destinationCountryCode')!;
      const r = rates.get(to);
      if (!r) return problem(res, 404, 'Not Found', `no product serves ${to}`, path);
      const domestic = url.searchParams.get('originCountryCode') === to;
      return send(res, 200, {
        products: [
          {
            productName: domestic ? 'EXPRESS DOMESTIC' : 'EXPRESS WORLDWIDE',
            productCode: domestic ? 'N' : 'U',
            totalPrice: [
              { currencyType: 'BILLC', priceCurrency: r.currency ?? 'EUR', price: r.price },
              { currencyType: 'PULCL', priceCurrency: r.currency ?? 'EUR', price: r.price },
            ],
            deliveryCapabilities: {
              deliveryTypeCode: 'QDDC',
              estimatedDeliveryDateAndTime: `${url.searchParams.get('plannedShippingDate')}T23:59:00`,
              totalTransitDays: r.days,
            },
          },
          // A dearer, slower product the client must not pick.
          {
            productName: 'EXPRESS 12:00',
            productCode: 'T',
            totalPrice: [{ currencyType: 'BILLC', priceCurrency: r.currency ?? 'EUR', price: r.price + 10 }],
            deliveryCapabilities: { totalTransitDays: r.days + 1 },
          },
        ],
      });
    }
    if (kind === 'shipments') {
      let b: Record<string, any>;
      try {
        b = JSON.parse(body);
      } catch {
        return problem(res, 400, 'Bad Request', 'body is not JSON', path);
      }
      const number = b?.accounts?.[0]?.number;
      const receiver = b?.customerDetails?.receiverDetails?.postalAddress;
      const shipper = b?.customerDetails?.shipperDetails?.postalAddress;
      if (number !== account) return problem(res, 400, 'Bad Request', 'shipper account not valid', path);
      if (!receiver?.countryCode || !receiver?.postalCode || !shipper?.countryCode)
        return problem(res, 422, 'Unprocessable Entity', 'receiver or shipper address incomplete', path);
      if (!Array.isArray(b?.content?.packages) || !b.content.packages.length)
        return problem(res, 422, 'Unprocessable Entity', 'no packages', path);
      if (!b?.plannedShippingDateAndTime)
        return problem(res, 422, 'Unprocessable Entity', 'no planned shipping date', path);
      const tracking = String(1_000_000_000 + ++seq);
      shipments.push({ number: tracking, reference: b.customerReferences?.[0]?.value ?? null, body: b, events: [] });
      if (f?.fault === 'hang_after') {
        await new Promise((r) => setTimeout(r, opts.hangMs ?? 3000));
        if (res.destroyed) return;
      }
      const format = String(b.outputImageProperties?.encodingFormat ?? 'pdf').toUpperCase();
      const content =
        format === 'ZPL'
          ? Buffer.from('^XA^FO50,50^FDDHL^FS^XZ').toString('base64')
          : Buffer.from(FAKE_LABEL_PDF).toString('base64');
      return send(res, 201, {
        shipmentTrackingNumber: tracking,
        trackingUrl: `https://fake.dhl/track?AWB=${tracking}`,
        packages: b.content.packages.map((_: unknown, i: number) => ({
          referenceNumber: i + 1,
          trackingNumber: `JD0${tracking}${i}`,
        })),
        documents: [{ imageFormat: format, content, typeCode: 'label' }],
      });
    }
    const number = decodeURIComponent(path.split('/')[2]!);
    const s = shipments.find((x) => x.number === number);
    if (!s) return problem(res, 404, 'Not Found', 'shipment not found', path);
    return send(res, 200, {
      shipments: [
        {
          shipmentTrackingNumber: s.number,
          status: s.events.at(-1)?.typeCode === 'OK' ? 'Delivered' : 'Success',
          description: 'Parcel',
          events: s.events,
        },
      ],
    });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, { title: 'fake crashed', detail: String(err) });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mydhlapi`,
    username,
    password,
    account,
    shipments,
    calls,
    rates,
    fail(kind, fault, times = 1) {
      faults.push({ kind, fault, times });
    },
    addEvent(trackingNumber, e) {
      const s = shipments.find((x) => x.number === trackingNumber);
      if (!s) throw new Error(`fake: no shipment ${trackingNumber}`);
      s.events.push(e);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The env that points the app at this fake. */
export function dhlEnv(fake: DhlFake, extra: Record<string, string> = {}): Record<string, string> {
  return {
    OMNIA_DHL_URL: fake.url,
    OMNIA_DHL_USERNAME: fake.username,
    OMNIA_DHL_PASSWORD: fake.password,
    OMNIA_DHL_ACCOUNT: fake.account,
    OMNIA_CARRIER_ORIGIN: 'ES:50197:Zaragoza',
    OMNIA_CARRIER_WEBHOOK_SECRET: 'whsec-carrier-test-secret',
    OMNIA_CARRIER_TIMEOUT_MS: '1500',
    ...extra,
  };
}
