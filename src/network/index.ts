export { NetworkService, type NetworkSnapshot, type ChannelInput, type LocationInput } from './service.js';
export { networkRoutes } from './routes.js';
export { distanceKm, isOpen } from './rules.js';
export * from './types.js';
export { pickupPromise, DEFAULT_PICKUP_TIMING, type PickupPromise, type PickupPromiseInput } from './pickup-hours.js';
