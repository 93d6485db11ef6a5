import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyError,
  type RawServerDefault,
  type FastifyBaseLogger,
} from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { ErrorObject } from 'ajv';
import type { Logger } from '../log.js';
import type { Db } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import { AppError, toProblem, type ProblemType } from './problems.js';
import { authorize, type AuthRule, type Principal } from './auth-model.js';
import { fieldErrors, validatorCompiler } from './validation.js';
import { idempotencyHooks, type Sealer } from './idempotency.js';
import { registerThrottles } from './rate-limit.js';
import { lazyChildLogger } from './lazy-logger.js';
import type { RateLimitConfig } from '../config.js';

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every /v1 route must say what it needs; the app refuses to start otherwise. */
    auth?: AuthRule;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface HttpDeps {
  logger: Logger;
  db: Db;
  clock: Clock;
  bodyLimit: number;
  authenticate(bearer: string): Promise<Principal | undefined>;
  /** The OpenAPI 3.1 `webhooks` section: every event we POST to subscribers (platform/events/openapi.ts). */
  openapiWebhooks?: Record<string, unknown>;
  /** Limits for routes that declare `config.throttle` (rate-limit.ts). */
  rateLimits: RateLimitConfig;
  /** Seals stored idempotency answers (they may carry a key shown once, a token, a cart id). */
  sealer: Sealer;
}

/** Fastify's own error codes that are the client's fault, mapped to our problem types. */
const FASTIFY_CODES: Record<string, ProblemType> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
};

function problemOf(err: FastifyError & { validation?: ErrorObject[]; validationContext?: string }): AppError {
  if (err instanceof AppError) return err;
  if (err.validation) {
    const errors = fieldErrors(err.validation, err.validationContext ?? 'body');
    return new AppError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }
  const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
  if (mapped) return new AppError(mapped, err.message);
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message)))
    return new AppError('malformed_json', err.message);
  if (err.statusCode === 413) return new AppError('payload_too_large', err.message);
  if (err.statusCode === 415) return new AppError('unsupported_media_type', err.message);
  return new AppError('internal', 'an unexpected error occurred; it has been logged');
}

export async function createHttpApp(deps: HttpDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimit,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : newId('req');
    },
    // Per-request logs cost throughput at 10k req/s; they are on at debug level.
    logController: new LogController({ disableRequestLogging: !deps.logger.isLevelEnabled('debug') }),
    // ...and each request's child logger is made only when something logs (lazy-logger.ts).
    childLoggerFactory: lazyChildLogger,
    ajv: { customOptions: { strict: false } },
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  app.setValidatorCompiler(validatorCompiler);

  // Routes that forget to declare their auth rule fail at start-up, not in production.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/v1') && route.config?.auth === undefined) {
      throw new Error(`route ${route.method} ${route.url} declares no auth rule (config.auth)`);
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Omnia API',
        version: '1',
        description: 'Omnichannel commerce: one inventory, one customer, one price.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      ...(deps.openapiWebhooks ? { webhooks: deps.openapiWebhooks } : {}),
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await registerThrottles(app, deps.rateLimits);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-resource-policy', 'same-origin');
    // /docs and /console (the web console, src/platform/http/console.ts) set their own CSP.
    if (!request.url.startsWith('/docs') && !request.url.startsWith('/console'))
      reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    const rule = request.routeOptions.config?.auth ?? 'public';
    const header = request.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const principal = m ? await deps.authenticate(m[1]!) : undefined;
      if (!principal && rule !== 'public')
        throw new AppError('unauthorized', 'the credential is not valid, expired or revoked');
      if (principal) request.principal = principal;
    }
    authorize(rule, request.principal);
  });

  const idem = idempotencyHooks(deps.db, deps.clock, deps.sealer);
  app.addHook('preHandler', idem.preHandler);
  app.addHook('onSend', idem.onSend);

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const problem = problemOf(err);
    if (problem.type === 'internal') request.log.error({ err }, 'unhandled error');
    else request.log.debug({ problem: problem.type }, problem.detail);
    reply.code(problem.status).type('application/problem+json').send(toProblem(problem, request.url));
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = new AppError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
    reply.code(404).type('application/problem+json').send(toProblem(problem, request.url));
  });
  return app;
}
