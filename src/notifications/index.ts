export { NotificationsService, EVENT_TEMPLATES, type NotificationOutcome } from './service.js';
export type { ConsentPort } from './ports.js';
export { smtpMailer, type Mailer } from './mailer.js';
export { render, TEMPLATES, TEMPLATE_KIND, type TemplateName, type MessageData } from './templates.js';
export { notificationRoutes } from './routes.js';
