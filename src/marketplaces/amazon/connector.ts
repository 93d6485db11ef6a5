import type { ConnectorFactory } from '../types.js';
import { MarketplaceRejectedError } from '../types.js';

/** Amazon Selling Partner API connector (being written; see docs/connectors/marketplaces.md). */
export const amazonConnector: ConnectorFactory = () => {
  const notYet = () => Promise.reject(new MarketplaceRejectedError('amazon connector: not implemented yet'));
  return {
    provider: 'amazon',
    publishOffers: notYet,
    pushStock: notYet,
    pushStatus: notYet,
    listOrders: notYet,
    confirmShipment: notYet,
    listChanges: notYet,
    cancelOrder: notYet,
  };
};
