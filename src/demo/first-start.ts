import type { Omnia } from '../server.js';

// Placeholder until the demo generator lands.
export async function seedIfEmpty(_omnia: Omnia): Promise<void> {}
