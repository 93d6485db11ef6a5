export { amazonConnector } from './connector.js';
