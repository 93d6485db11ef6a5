import { CliError } from '../shared.js';

// Placeholder until the catalog/demo work lands; replaced by the real command.
export const help = 'omnia seed (not built yet)';
export async function run(): Promise<number> {
  throw new CliError('omnia seed is not built yet');
}
