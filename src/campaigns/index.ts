export { CampaignsService, type CampaignInput, type CampaignView } from './service.js';
export { CartReminders } from './reminders.js';
export { campaignRoutes } from './routes.js';
export type { CampaignsDeps } from './ports.js';
export { DEFAULT_CAP } from './rules.js';
