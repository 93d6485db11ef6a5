import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkTarget, OutboundRefused, type CheckedTarget, type OutboundPolicy } from '../platform/http/outbound.js';
import { problems } from '../platform/http/problems.js';
import { MarketplaceRejectedError } from './types.js';

/**
 * A connection's endpoints are addresses an admin types in (or a provider hands back: Amazon's feed
 * document upload URL), so every connector call goes through the same SSRF check as webhooks
 * (platform/http/outbound.ts): refused when the host resolves to loopback, private, link-local or
 * metadata ranges — at registration (`checkConnectionUrls`) and again at every request
 * (`guardedFetch`), which connects to the address it checked (DNS rebinding cannot slip in between).
 * OMNIA_ALLOW_PRIVATE_WEBHOOKS=1 (development, and the tests' local fakes) lifts the range check for
 * connectors too: one switch for "this machine may call private addresses".
 */

/** Settings that name an endpoint the connector calls (Amazon's `lwa_url`): checked like the base URL. */
export const isUrlSetting = (key: string): boolean => key.endsWith('_url') && key !== 'image_url_template';

/** Refuses (400, naming the field) a base URL or URL setting that is not a public http(s) address. */
export async function checkConnectionUrls(
  input: { base_url?: string | undefined; settings?: Record<string, string> | undefined },
  policy: OutboundPolicy,
): Promise<void> {
  const targets: [string, string][] = [];
  if (input.base_url !== undefined) targets.push(['base_url', input.base_url]);
  for (const [k, v] of Object.entries(input.settings ?? {}))
    if (isUrlSetting(k) && v.trim() !== '') targets.push([`settings/${k}`, v]);
  for (const [field, url] of targets) {
    try {
      await checkTarget(url, policy);
    } catch (err) {
      if (err instanceof OutboundRefused) throw problems.field(field, err.message);
      throw err;
    }
  }
}

function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (opts?.all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  }) as unknown as LookupFunction;
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((v, k) => (out[k] = v));
  return out;
}

/** One request to the checked address (no redirects followed: one could lead to a private address). */
function requestPinned(target: CheckedTarget, init: RequestInit | undefined): Promise<Response> {
  const { url } = target;
  const client = url.protocol === 'https:' ? https : http;
  const body = typeof init?.body === 'string' ? init.body : init?.body == null ? undefined : String(init.body);
  return new Promise<Response>((resolve, reject) => {
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: init?.method ?? 'GET',
        headers: {
          ...headersOf(init),
          ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
        },
        lookup: pinnedLookup(target.address, target.family),
        ...(init?.signal ? { signal: init.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
          const status = res.statusCode ?? 502;
          const text = Buffer.concat(chunks);
          // A Response may not carry a body with these statuses.
          const nullBody = status === 204 || status === 205 || status === 304 || text.length === 0;
          resolve(new Response(nullBody ? null : text, { status, headers }));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The `fetch` connectors use: checks the URL (every call: a provider's answer may name the next URL),
 * then connects to the checked address. With an injected fetch (tests driving fake time) the check
 * still runs and the injected fetch makes the call.
 */
export function guardedFetch(policy: OutboundPolicy, inner?: typeof fetch): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let target: CheckedTarget;
    try {
      target = await checkTarget(raw, policy);
    } catch (err) {
      // Final (not retried): the job records it as the connection's last_error.
      if (err instanceof OutboundRefused)
        throw new MarketplaceRejectedError(`outbound call refused: ${raw.split('?')[0]} ${err.message}`);
      throw err;
    }
    if (inner) return inner(input, init);
    return requestPinned(target, init);
  }) as typeof fetch;
}
