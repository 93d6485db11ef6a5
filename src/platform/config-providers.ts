/**
 * The settings of outside providers (Stripe, DHL Express and the carrier webhooks), read from the
 * environment by loadConfig (config.ts): each checks its own variables and adds what is wrong to
 * `problems`, so one start reports every mistake at once.
 */
import { parseIntStrict } from './config-parse.js';

export interface StripeConfig {
  secretKey: string;
  webhookSecret: string | undefined;
  returnUrl: string;
  captureMethod: 'manual' | 'automatic';
  api: { host: string; port: number; protocol: 'http' | 'https' } | undefined;
}

export interface CarriersConfig {
  dhl: { baseUrl: string | undefined; username: string; password: string; accountNumber: string } | undefined;
  origin: { country: string; postal_code: string; city: string } | undefined;
  webhookSecret: string | undefined;
  timeoutMs: number;
}

export function stripeConfig(env: Record<string, string | undefined>, problems: string[]): StripeConfig | undefined {
  const secretKey = env.OMNIA_STRIPE_SECRET_KEY?.trim();
  if (!secretKey) return undefined;
  if (!/^(sk|rk)_(test|live)_/.test(secretKey))
    problems.push('OMNIA_STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_… or rk_…)');
  const webhookSecret = env.OMNIA_STRIPE_WEBHOOK_SECRET?.trim() || undefined;
  if (webhookSecret && !webhookSecret.startsWith('whsec_'))
    problems.push('OMNIA_STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)');
  const returnUrl = env.OMNIA_STRIPE_RETURN_URL?.trim() ?? '';
  if (!/^https?:\/\//.test(returnUrl))
    problems.push('OMNIA_STRIPE_RETURN_URL must be the http(s) page shoppers return to after 3-D Secure');
  const captureMethod = (env.OMNIA_STRIPE_CAPTURE?.trim() || 'manual') as 'manual' | 'automatic';
  if (captureMethod !== 'manual' && captureMethod !== 'automatic')
    problems.push(`OMNIA_STRIPE_CAPTURE must be manual or automatic, got "${String(captureMethod)}"`);
  let api: { host: string; port: number; protocol: 'http' | 'https' } | undefined;
  const apiUrl = env.OMNIA_STRIPE_API_URL?.trim();
  if (apiUrl) {
    try {
      const u = new URL(apiUrl);
      const protocol = u.protocol === 'http:' ? 'http' : 'https';
      api = { host: u.hostname, port: Number(u.port || (protocol === 'http' ? 80 : 443)), protocol };
    } catch {
      problems.push(`OMNIA_STRIPE_API_URL must be a URL, got "${apiUrl}"`);
    }
  }
  return { secretKey, webhookSecret, returnUrl, captureMethod, api };
}

export function carriersConfig(env: Record<string, string | undefined>, problems: string[]): CarriersConfig {
  const [username, password, accountNumber] = ['OMNIA_DHL_USERNAME', 'OMNIA_DHL_PASSWORD', 'OMNIA_DHL_ACCOUNT'].map(
    (k) => env[k]?.trim() || undefined,
  );
  const baseUrl = env.OMNIA_DHL_URL?.trim() || undefined;
  if (baseUrl && !/^https?:\/\//.test(baseUrl)) problems.push(`OMNIA_DHL_URL must be an http(s) URL, got "${baseUrl}"`);
  if ((username || password || accountNumber) && !(username && password && accountNumber))
    problems.push('DHL Express needs OMNIA_DHL_USERNAME, OMNIA_DHL_PASSWORD and OMNIA_DHL_ACCOUNT together');
  const originRaw = env.OMNIA_CARRIER_ORIGIN?.trim();
  const parts = originRaw?.split(':').map((x) => x.trim()) ?? [];
  if (originRaw && (parts.length !== 3 || !/^[A-Z]{2}$/.test(parts[0]!) || !parts[1] || !parts[2]))
    problems.push(`OMNIA_CARRIER_ORIGIN must be country:postal code:city (ES:50197:Zaragoza), got "${originRaw}"`);
  const timeoutMs = parseIntStrict(
    'OMNIA_CARRIER_TIMEOUT_MS',
    env.OMNIA_CARRIER_TIMEOUT_MS ?? '3000',
    100,
    120_000,
    problems,
  );
  return {
    dhl: username && password && accountNumber ? { baseUrl, username, password, accountNumber } : undefined,
    origin:
      originRaw && parts.length === 3 ? { country: parts[0]!, postal_code: parts[1]!, city: parts[2]! } : undefined,
    webhookSecret: env.OMNIA_CARRIER_WEBHOOK_SECRET?.trim() || undefined,
    timeoutMs,
  };
}
