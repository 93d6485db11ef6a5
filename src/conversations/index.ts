export { ConversationsService, type OpenInput, type Transcript } from './service.js';
export { conversationRoutes } from './routes.js';
export { conversationEvents } from './events.js';
export type { ConversationsDeps, ConversationsCartsPort, ConversationsCustomersPort } from './ports.js';
export * from './types.js';
export { composeConversations } from './compose.js';
