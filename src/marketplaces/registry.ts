import type { ConnectorFactory } from './types.js';
import { amazonConnector } from './amazon/index.js';
import { aliexpressConnector } from './aliexpress/index.js';
import { metaConnector } from './meta/index.js';

/**
 * The marketplace providers Omnia can connect, by the name stored on a connection row
 * (`marketplace_connections.provider`). Each connector registers itself with one line here.
 */
export const marketplaceProviders: Record<string, ConnectorFactory> = {
  amazon: amazonConnector,
  aliexpress: aliexpressConnector,
  // Facebook and Instagram Shops (issue 19): orders of a social channel (src/marketplaces/meta, docs/social.md).
  meta: metaConnector,
};

export function connectorFactory(provider: string): ConnectorFactory | undefined {
  return Object.hasOwn(marketplaceProviders, provider) ? marketplaceProviders[provider] : undefined;
}

/** What the console's connection form asks for per provider (docs/connectors/*.md say what each means). */
export interface ProviderInfo {
  provider: string;
  /** The provider's production endpoint, offered as the base URL. */
  default_base_url: string;
  credentials: string[];
  settings: { name: string; required: boolean }[];
}

/**
 * The names each connector reads (amazon/connector.ts, aliexpress/connector.ts). A provider registered
 * above without an entry here is still listed, with no field hints: the form then takes free key/values.
 */
const PROVIDER_FIELDS: Record<string, Omit<ProviderInfo, 'provider'>> = {
  amazon: {
    default_base_url: 'https://sellingpartnerapi-eu.amazon.com',
    credentials: ['client_id', 'client_secret', 'refresh_token'],
    settings: [
      { name: 'seller_id', required: true },
      { name: 'marketplace_id', required: true },
      { name: 'product_type', required: false },
      { name: 'default_carrier', required: false },
      { name: 'shipping_method', required: false },
      { name: 'lwa_url', required: false },
    ],
  },
  aliexpress: {
    default_base_url: 'https://api-sg.aliexpress.com/sync',
    credentials: ['app_key', 'app_secret', 'access_token'],
    settings: [
      { name: 'category_id', required: false },
      { name: 'image_url_template', required: false },
      { name: 'language', required: false },
      { name: 'product_unit', required: false },
      { name: 'carrier_map', required: false },
      { name: 'default_service_name', required: false },
      { name: 'tracking_website', required: false },
      { name: 'fetch_addresses', required: false },
    ],
  },
  meta: {
    default_base_url: 'https://graph.facebook.com/v19.0',
    credentials: ['access_token'],
    settings: [
      { name: 'cms_id', required: true },
      { name: 'catalog_id', required: true },
    ],
  },
};

export function providerInfo(): ProviderInfo[] {
  return Object.keys(marketplaceProviders)
    .sort()
    .map((provider) => ({
      provider,
      ...(PROVIDER_FIELDS[provider] ?? { default_base_url: '', credentials: [], settings: [] }),
    }));
}
