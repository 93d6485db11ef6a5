export { FeedsService, type FeedView, type FeedFormat } from './service.js';
export { ShareLinks, type ShareLinkView } from './share-links.js';
export { feedRoutes } from './routes.js';
export { composeFeeds } from './compose.js';
export type * from './ports.js';
