export { StripeProvider, type StripeProviderOptions } from './provider.js';
export { StripeWebhooks, type StripeWebhookDeps } from './webhook.js';
export { stripeWebhookRoutes } from './routes.js';
