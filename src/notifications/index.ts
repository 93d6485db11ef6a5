export { NotificationsService, EVENT_TEMPLATES, type NotificationOutcome } from './service.js';
export type { ConsentPort } from './ports.js';
export { smtpMailer, type Mailer } from './mailer.js';
export { render, TEMPLATES, TEMPLATE_KIND, type TemplateName, type MessageData } from './templates.js';
export { notificationRoutes } from './routes.js';
export { logOnlyChannel } from './mailer.js';
export { mailAccountCode, type AccountCodePort } from './account-mail.js';
export {
  MESSAGE_TEMPLATES,
  MESSAGE_KIND,
  MESSAGE_LOCALES,
  type MessageTemplate,
  type MessageInput,
} from './messages.js';
export { renderMessage } from './message-render.js';
export type { MessagesCustomersPort } from './routes.js';
