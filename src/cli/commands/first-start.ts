import type { Omnia } from '../../server.js';

/**
 * Hook for the first start on an empty database: the demo module fills it with the demo retailer.
 * Kept separate so `serve` does not depend on the demo generator's internals.
 */
export async function onFirstStart(omnia: Omnia): Promise<void> {
  const demo = await import('../../demo/index.js').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw err;
  });
  await demo?.seedIfEmpty(omnia);
}
