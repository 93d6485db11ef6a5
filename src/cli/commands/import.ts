import { CliError } from '../shared.js';

// Placeholder until the catalog/demo work lands; replaced by the real command.
export const help = 'omnia import (not built yet)';
export async function run(): Promise<number> {
  throw new CliError('omnia import is not built yet');
}
