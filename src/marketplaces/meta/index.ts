/** The Meta (Facebook / Instagram Shops) connector as the registry sees it: one factory (../types.ts ConnectorFactory). */
export { metaConnector, DEFAULT_BASE_URL as META_GRAPH_URL, graphFetch } from './connector.js';
