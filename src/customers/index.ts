export { CustomersService, type IdentifierInput } from './service.js';
export { customerRoutes } from './routes.js';
export { CustomerDesk } from './desk.js';
export { customerDeskRoutes } from './desk-routes.js';
export type { AvailabilityLookup, CatalogLookup, ChannelLookup, CustomersDeps } from './ports.js';
export type { IngestResult } from './ingest.js';
export type { Segment } from './segments.js';
export * from './types.js';
export { customerChecks } from './doctor.js';
