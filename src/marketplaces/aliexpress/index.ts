/** The AliExpress connector as the registry sees it: one factory (../types.ts ConnectorFactory). */
import type { ConnectorFactory } from '../types.js';
import { AliExpressConnector } from './connector.js';

export { AliExpressConnector, DEFAULT_BASE_URL } from './connector.js';

export const aliexpressConnector: ConnectorFactory = (config, deps) => new AliExpressConnector(config, deps);
