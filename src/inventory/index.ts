export { InventoryService, type MovementInput, type AvailabilityQuery } from './service.js';
export { inventoryRoutes } from './routes.js';
export { inventoryLookupRoutes } from './lookup-routes.js';
export { stockValueRoutes } from './stock-value.js';
export { inventoryChecks } from './doctor.js';
export { atp } from './rules.js';
export type { SkuDirectory, InventoryDeps, InventoryNetworkPort } from './ports.js';
export type { TransferInput, TransferReceipt } from './transfers.js';
export * from './types.js';
