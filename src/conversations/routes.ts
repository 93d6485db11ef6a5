import type { App } from '../platform/http/app.js';
import type { ThrottleRule } from '../platform/http/rate-limit.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { ConversationsService } from './service.js';
import { Streams } from './stream.js';
import {
  AfterQuery,
  ConversationPage,
  ConversationSchema,
  HandOverBody,
  IdParam,
  LinkBody,
  ListQuery,
  MessageSchema,
  OpenBody,
  OpenedSchema,
  PostBody,
  TokenHeader,
  TranscriptSchema,
} from './schemas.js';

// Opening is anonymous (a publishable key is public): bounded per address, generously, since a shop's
// Wi-Fi puts many shoppers behind one. Writing is bounded per conversation and per address.
const OPEN_THROTTLE: ThrottleRule[] = [{ bucket: 'chat-open:ip', by: 'ip', limit: { max: 30, windowMs: 60_000 } }];
const WRITE_THROTTLE: ThrottleRule[] = [
  {
    bucket: 'chat-write:conversation',
    by: (req) => (req.params as { id?: string }).id,
    limit: { max: 60, windowMs: 60_000 },
  },
  { bucket: 'chat-write:ip', by: 'ip', limit: { max: 240, windowMs: 60_000 } },
];

export async function conversationRoutes(app: App, s: { conversations: ConversationsService }): Promise<void> {
  const tags = ['conversations'];
  const { conversations } = s;
  // Shopper routes: publishable keys and customer tokens are admitted; the policy narrows them.
  const read = { auth: { scope: 'conversations:read' as const, customer: true } };
  const write = { auth: { scope: 'conversations:write' as const, customer: true } };
  const streams = new Streams(conversations);
  app.addHook('preClose', async () => {
    streams.endAll();
    conversations.stop();
  });
  const tokenOf = (h: { 'x-conversation-token'?: string | undefined }) => h['x-conversation-token'];

  app.post(
    '/v1/conversations',
    {
      config: { ...write, throttle: OPEN_THROTTLE },
      schema: {
        tags,
        summary: 'Open a webchat conversation (a shopper, anonymous with a publishable key or logged in)',
        description:
          'Answers the conversation token once: an anonymous shopper keeps it (e.g. in localStorage) and sends it as X-Conversation-Token, so a reload resumes the same conversation.',
        body: OpenBody,
        response: { 201: OpenedSchema, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (req, reply) => reply.code(201).send(await conversations.open(req.principal, req.body ?? {})),
  );

  app.get(
    '/v1/conversations',
    {
      config: read,
      schema: {
        tags,
        summary: 'The agents’ queue (view=waiting|mine|closed) or a person’s transcripts (customer_id)',
        querystring: ListQuery,
        response: { 200: ConversationPage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => conversations.list(req.principal, req.query),
  );

  app.get(
    '/v1/conversations/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'A conversation and its messages after `after`',
        params: IdParam,
        querystring: AfterQuery,
        headers: TokenHeader,
        response: { 200: TranscriptSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => conversations.read(req.principal, req.params.id, tokenOf(req.headers), req.query.after ?? 0),
  );

  app.get(
    '/v1/conversations/:id/stream',
    {
      config: read,
      schema: {
        tags,
        summary: 'Live messages and state changes as server-sent events (text/event-stream)',
        description:
          'Events `message` (id: its seq) and `conversation`. Resume with Last-Event-ID or ?after=<seq>. Delivered across processes: readers are woken by this process’s writes at once and by a poll of the versions otherwise.',
        params: IdParam,
        querystring: AfterQuery,
        headers: TokenHeader,
        response: { ...errorResponses(401, 403, 404, 503) },
      },
    },
    async (req, reply) => {
      const lastEventId = Number(req.headers['last-event-id']);
      const after = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId : (req.query.after ?? 0);
      await streams.serve(req, reply, req.params.id, tokenOf(req.headers), after);
      return reply;
    },
  );

  app.post(
    '/v1/conversations/:id/messages',
    {
      config: { ...write, throttle: WRITE_THROTTLE },
      schema: {
        tags,
        summary: 'Write in a conversation (the shopper or the agent); an agent answering a waiting one takes it',
        params: IdParam,
        headers: TokenHeader,
        body: PostBody,
        response: { 201: MessageSchema, ...errorResponses(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await conversations.post(req.principal, req.params.id, tokenOf(req.headers), req.body.body)),
  );

  app.post(
    '/v1/conversations/:id/take',
    {
      config: write,
      schema: {
        tags,
        summary: 'An agent takes a waiting conversation (409 when another agent holds it)',
        params: IdParam,
        response: { 200: ConversationSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => conversations.take(req.principal, req.params.id),
  );

  app.post(
    '/v1/conversations/:id/handover',
    {
      config: write,
      schema: {
        tags,
        summary: 'Hand a cart the agent built to the shopper: a hand-off code posted in the chat',
        params: IdParam,
        body: HandOverBody,
        response: { 201: MessageSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await conversations.handOver(req.principal, req.params.id, req.body.cart_id)),
  );

  app.post(
    '/v1/conversations/:id/customer',
    {
      config: write,
      schema: {
        tags,
        summary: 'An agent links the person (after checking who it is): the transcript joins their 360',
        params: IdParam,
        body: LinkBody,
        response: { 200: ConversationSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => conversations.link(req.principal, req.params.id, req.body.customer_id),
  );

  app.post(
    '/v1/conversations/:id/close',
    {
      config: write,
      schema: {
        tags,
        summary: 'Close the conversation (either side; closing again changes nothing)',
        params: IdParam,
        headers: TokenHeader,
        response: { 200: ConversationSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => conversations.close(req.principal, req.params.id, tokenOf(req.headers)),
  );
}
