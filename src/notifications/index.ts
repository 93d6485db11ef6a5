export { NotificationsService, EVENT_TEMPLATES, type ConsentPort, type NotificationOutcome } from './service.js';
export { smtpMailer, type Mailer } from './mailer.js';
export { render, TEMPLATES, TEMPLATE_KIND, type TemplateName, type MessageData } from './templates.js';
export { notificationRoutes } from './routes.js';
