export { NetworkService, type NetworkSnapshot, type ChannelInput, type LocationInput } from './service.js';
export { networkRoutes } from './routes.js';
export { distanceKm, isOpen } from './rules.js';
export * from './types.js';
