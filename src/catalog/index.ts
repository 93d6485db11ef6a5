export { CatalogService, type PriceContext, type PriceSet } from './service.js';
export type { ChannelLookup } from './ports.js';
export { catalogRoutes } from './routes.js';
export { vatRate, vatIncluded, isValidGtin13, gtinCheckDigit, selectPrice } from './rules.js';
export { ImportFileError, readImportFile } from './importer.js';
export { IMPORT_COLUMNS } from './import-rules.js';
export * from './types.js';
export { catalogChecks } from './doctor.js';
