import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Outbound HTTP to addresses our users give us (webhooks today, connectors later), safe from SSRF:
 * a URL whose host resolves to loopback, private, link-local (169.254.169.254 is the cloud metadata
 * service), CGNAT, unspecified, multicast or any other non-public range is refused — checked when the
 * URL is registered and again at every request, and the request connects to the very address that
 * was checked (the resolved IP is pinned through a custom `lookup`), so a DNS answer that changes
 * between check and connect (rebinding) cannot reach a private address.
 *
 * Ranges come from ipaddr.js (`range()`): everything but `unicast` is refused, after unwrapping
 * IPv4-mapped IPv6 (`::ffff:10.0.0.1` is 10.0.0.1). Hand-written CIDR lists were rejected: they miss
 * forms (NAT64, 6to4, Teredo embed IPv4 too) that the library classifies as non-unicast.
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
/** Resolves a host name to all its addresses; injectable so tests need no real DNS. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (host) =>
  (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** Names that point at the host itself or at a cloud metadata service whatever DNS says. */
const BLOCKED_NAMES = [/^localhost$/, /\.localhost$/, /^metadata$/, /^metadata\.google\.internal$/, /\.internal$/];

export class OutboundRefused extends Error {
  constructor(
    message: string,
    readonly field = 'url',
  ) {
    super(message);
    this.name = 'OutboundRefused';
  }
}

/** Pure: why this IP may not be called (its range name), or null when it is a public unicast address. */
export function refusedRange(ip: string): string | null {
  if (!ipaddr.isValid(ip)) return 'not an IP address';
  const addr = ipaddr.process(ip); // IPv4-mapped IPv6 becomes the IPv4 address it carries
  const range = addr.range();
  return range === 'unicast' ? null : range;
}

export interface OutboundPolicy {
  /** OMNIA_ALLOW_PRIVATE_WEBHOOKS: development only. */
  allowPrivate: boolean;
  resolver?: Resolver | undefined;
}

export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** Parses the URL, resolves its host and refuses non-public addresses; returns the address to connect to. */
export async function checkTarget(raw: string, policy: OutboundPolicy): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefused('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OutboundRefused('must be http or https');
  if (url.username || url.password) throw new OutboundRefused('must not carry credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
  } else {
    if (!policy.allowPrivate && BLOCKED_NAMES.some((re) => re.test(host.replace(/\.$/, ''))))
      throw new OutboundRefused(`host ${host} is a local or metadata name`);
    try {
      addresses = await (policy.resolver ?? systemResolver)(host);
    } catch (err) {
      throw new OutboundRefused(`host ${host} does not resolve (${(err as Error).message})`);
    }
    if (addresses.length === 0) throw new OutboundRefused(`host ${host} does not resolve`);
  }
  if (!policy.allowPrivate) {
    // Every answer must be public: an attacker's name may mix a public and a private address.
    for (const a of addresses) {
      const range = refusedRange(a.address);
      if (range) throw new OutboundRefused(`host ${host} resolves to ${a.address} (${range}), which is not public`);
    }
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family };
}

/** A lookup that always answers the checked address, whatever DNS would say now. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (opts?.all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  }) as unknown as LookupFunction;
}

/**
 * POSTs `body` to a checked target, connecting only to its pinned address; no redirects are followed
 * (a redirect to a private address would bypass the check). Resolves with the status code.
 */
export function postPinned(
  target: CheckedTarget,
  opts: { headers: Record<string, string>; body: string; timeoutMs: number; signal?: AbortSignal },
): Promise<number> {
  const { url } = target;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...opts.headers, 'content-length': String(Buffer.byteLength(opts.body)) },
        lookup: pinnedLookup(target.address, target.family),
        timeout: opts.timeoutMs,
        signal: AbortSignal.any([AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])]),
      },
      (res) => {
        res.resume(); // the answer's body is not needed; drain it so the socket is freed
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}
