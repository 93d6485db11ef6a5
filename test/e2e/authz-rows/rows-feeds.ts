/**
 * Social feeds and share links (issue 19). A feed is fetched by Meta/Google with its own token (no
 * credential); without it, an admin and merchandisers preview it and a secret key reads its own
 * channel's (a key of another channel is told it does not exist). Channel A is a web channel: holders
 * get past authorization and hear 404 (no feed) or 400 (not social). Share links are made and visited
 * by shoppers (events:write on shopper routes); reading one is a report (analytics).
 */
import type { Row, Who } from './model.js';

const SHOPPERS: Who[] = ['pub', 'keyB', 'tillX', 'admin', 'agent', 'custD'];
const feedOfA = () => '/v1/feeds/mx-web';

export const rows: Record<string, Row> = {
  'GET /v1/feeds/{channel_code}': { allow: ['tillX', 'admin', 'merch'], hidden: ['keyB'], path: feedOfA },
  'GET /v1/feeds': { allow: ['keyB', 'tillX', 'admin', 'merch'], ok: ['keyB', 'tillX', 'admin', 'merch'] },
  'PUT /v1/feeds/{channel_code}/settings': {
    allow: ['tillX', 'admin'],
    hidden: ['keyB'],
    path: () => `${feedOfA()}/settings`,
    body: () => ({ link_template: 'https://shop.test/p/{sku}', image_template: 'https://cdn.test/{sku}.jpg' }),
  },
  'POST /v1/feeds/{channel_code}/token': {
    allow: ['tillX', 'admin'],
    hidden: ['keyB'],
    path: () => `${feedOfA()}/token`,
  },
  'POST /v1/share-links': {
    allow: SHOPPERS,
    body: () => ({ channel: 'no-such-channel', url: 'https://shop.test/p/1' }),
  },
  'GET /v1/share-links/{id}': { allow: ['keyB', 'admin', 'merch'], path: () => '/v1/share-links/shl_nope' },
  'POST /v1/share-links/{id}/visits': {
    allow: SHOPPERS,
    path: () => '/v1/share-links/shl_nope/visits',
    body: () => ({ anonymous_id: 'anon-1' }),
  },
};
