import type { ConnectorFactory } from './types.js';
import { amazonConnector } from './amazon/index.js';
import { aliexpressConnector } from './aliexpress/index.js';

/**
 * The marketplace providers Omnia can connect, by the name stored on a connection row
 * (`marketplace_connections.provider`). Each connector registers itself with one line here.
 */
export const marketplaceProviders: Record<string, ConnectorFactory> = {
  amazon: amazonConnector,
  aliexpress: aliexpressConnector,
};

export function connectorFactory(provider: string): ConnectorFactory | undefined {
  return Object.hasOwn(marketplaceProviders, provider) ? marketplaceProviders[provider] : undefined;
}
