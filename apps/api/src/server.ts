/**
 * The api as a value: `createApiServer` wires Apollo (HTTP) and graphql-ws (WebSocket) on one
 * http.Server at /graphql, the signed download routes (/blobs for the local store, /exports for
 * ALE, CSV and zips) and the GraphQL IDE; `listen` is separate so tests can use any free port.
 */
// type-graphql's decorators need the metadata API before any type module is evaluated.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import { LocalBlobStore, serveLocalBlob } from '@rushes/storage';
import express from 'express';
import { getOperationAST, GraphQLError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { bearerToken } from './auth/sessions.ts';
import { CachedReads, DEFAULT_RESPONSE_CACHE_BYTES, scopeOf } from './cached-reads.ts';
import type { ApiDeps, Context } from './context.ts';
import type { AllowedOrigins } from './cors.ts';
import { internalErrorLog, jsonErrors, maskErrors, notFound, sendError } from './errors.ts';
import { mountExports } from './exports/routes.ts';
import { jitGateway } from './graphql/executor.ts';
import { sharedSubscribe } from './graphql/shared-subscribe.ts';
import { assertAffordable, LIMITS, PARSE_OPTIONS, shapeLimitRule } from './graphql/limits.ts';
import { mountIde } from './ide.ts';
import { ReadinessService } from '@rushes/data/readiness';
import { createMetrics } from '@rushes/data/metrics';
import { jobNames } from '@rushes/schema/jobs';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Ticket } from './graphql/read-cache.ts';
import { asGraphQLError, checkOperation, RequestPipeline, requestIdOf } from './pipeline.ts';
import {
  clientAddressOf,
  DEFAULT_RATE_LIMITS,
  firstRefusal,
  rateLimited,
  rateLimitedError,
  RateLimits,
  trustFrom,
  type RateLimitSettings,
} from './rate-limits.ts';
import { buildApiSchema } from './schema.ts';

export interface ApiServerOptions {
  /** Browser origins allowed by CORS: `*` or a list of origins (see cors.ts). */
  corsOrigins: AllowedOrigins;
  /** Per-client rate limits (rate-limits.ts); default DEFAULT_RATE_LIMITS. */
  rateLimits?: RateLimitSettings;
  /** Proxies trusted to name the client in X-Forwarded-For (Express syntax); default `loopback`. */
  trustProxy?: string;
  /** Memory for cached query responses (cached-reads.ts); 0 turns the read caches off. Default 64 MiB. */
  responseCacheBytes?: number;
}

export interface ApiServer {
  httpServer: Server;
  schema: GraphQLSchema;
  /** Starts listening; resolves with the bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** Closes WebSockets, drains HTTP requests, stops Apollo. */
  stop(): Promise<void>;
}

/**
 * A query's cache key and the clock's reading before it read anything, carried on its context
 * (Apollo hands plugins a copy of the context, so a WeakMap keyed by it finds nothing).
 */
const PENDING_READ = Symbol('pending read');
type PendingRead = { [PENDING_READ]?: { key: string; ticket: Ticket } };

/** `*` is sent as such, never reflected: no credentials ride on CORS requests to the api. */
function corsOrigin(allowed: AllowedOrigins): cors.CorsOptions['origin'] {
  return allowed === '*' ? '*' : [...allowed];
}

/**
 * A WebSocket's credentials: graphql-ws connection params, else the upgrade request's
 * Authorization header (set by the web app's server, which proxies its browsers' sockets).
 */
function socketAuthorization(ctx: {
  connectionParams?: Readonly<{ authorization?: string }> | undefined;
  extra: { request: { headers: { authorization?: string | undefined } } };
}): string | undefined {
  return ctx.connectionParams?.authorization ?? ctx.extra.request.headers.authorization;
}

/**
 * Refuses operations over the cost limit once Apollo knows the operation and its variables, with
 * HTTP 400 (Apollo answers an error thrown here with 500 unless the error says otherwise).
 */
function costLimit(schema: GraphQLSchema): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          try {
            assertAffordable(schema, document, request.variables, request.operationName);
          } catch (error) {
            if (!(error instanceof GraphQLError)) throw error;
            throw new GraphQLError(error.message, {
              extensions: { ...error.extensions, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

/** Answers a WebSocket upgrade request with an HTTP error and a JSON body, then closes. */
function refuseUpgrade(
  socket: Duplex,
  status: number,
  body: { message: string; extensions: Record<string, unknown> },
  headers: Record<string, string> = {},
) {
  const json = JSON.stringify({ errors: [body] });
  const head = Object.entries({
    connection: 'close',
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(json)),
    ...headers,
  }).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('')}\r\n${json}`);
}

export async function createApiServer(deps: ApiDeps, options: ApiServerOptions): Promise<ApiServer> {
  const schema = await buildApiSchema();
  const app = express();
  app.disable('x-powered-by');
  const trust = trustFrom(options.trustProxy ?? 'loopback');
  // req.ip (sign-in throttling) and the rate limits see the same client address.
  app.set('trust proxy', trust);
  const clientAddress = clientAddressOf(trust);
  const limits = new RateLimits(options.rateLimits ?? DEFAULT_RATE_LIMITS);
  const reads = new CachedReads(
    deps.events,
    deps.pool,
    options.responseCacheBytes ?? DEFAULT_RESPONSE_CACHE_BYTES,
  );
  const pipeline = new RequestPipeline(deps, limits, (token) => reads.access(token));
  const httpServer = createServer(app);

  // WebSockets are accepted here rather than by ws itself, so that an address over its open
  // connections limit gets a 429 with Retry-After before the handshake.
  const wsServer = new WebSocketServer({ noServer: true });
  const connectionIds = new WeakMap<object, string>();
  httpServer.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://api').pathname;
    if (path !== '/graphql') {
      refuseUpgrade(socket, 404, {
        message: `No WebSocket is served at ${path}; GraphQL is at /graphql.`,
        extensions: { code: 'NOT_FOUND' },
      });
      return;
    }
    const address = clientAddress(request);
    limits.opened(address).then(
      (verdict) => {
        if (!verdict.allowed) {
          refuseUpgrade(socket, 429, rateLimited(verdict), {
            'retry-after': String(verdict.retryAfterSeconds),
          });
          return;
        }
        const id = randomUUID();
        // The socket closes whether or not the handshake succeeds: the slot is given back then.
        if (socket.destroyed) {
          void limits.closed(address, id);
          return;
        }
        socket.once('close', () => void limits.closed(address, id));
        wsServer.handleUpgrade(request, socket, head, (ws) => {
          connectionIds.set(ws, id);
          wsServer.emit('connection', ws, request);
        });
      },
      () => socket.destroy(),
    );
  });
  // GET /metrics: the shared metrics (queues from pgboss.job, pool) and GraphQL's own.
  const { registry: metrics } = createMetrics(deps.pool, jobNames);
  const operationSeconds = new Histogram({
    name: 'rushes_graphql_operation_duration_seconds',
    help: 'GraphQL operations by transport (http, ws), type (query, mutation, subscription) and outcome (ok, error); a subscription lasts until it ends',
    labelNames: ['transport', 'type', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60, 600],
    registers: [metrics],
  });
  const responseCache = new Counter({
    name: 'rushes_graphql_response_cache_total',
    help: 'Query responses over HTTP answered from the read cache (hit), not found there (miss) and kept there (stored)',
    labelNames: ['result'] as const,
    registers: [metrics],
  });
  const subscriptions = new Gauge({
    name: 'rushes_graphql_subscriptions',
    help: 'GraphQL subscriptions open on this process',
    registers: [metrics],
  });
  // Each WebSocket operation's request id, log and start, by connection and operation id.
  const operations = new WeakMap<
    object,
    Map<string, { requestId: string; log: Logger; started: bigint; type?: string }>
  >();
  const operationOf = (ctx: object, id: string) => {
    let byId = operations.get(ctx);
    if (!byId) operations.set(ctx, (byId = new Map()));
    let operation = byId.get(id);
    if (!operation) {
      const requestId = randomUUID();
      operation = { requestId, log: pipeline.log(requestId), started: process.hrtime.bigint() };
      byId.set(id, operation);
    }
    return operation;
  };
  /** Logs a finished WebSocket operation (its request id, time and error code, if any) once. */
  const operationDone = (ctx: object, id: string, code?: unknown) => {
    const operation = operations.get(ctx)?.get(id);
    if (!operation) return;
    operations.get(ctx)!.delete(id);
    const ms = Number(process.hrtime.bigint() - operation.started) / 1e6;
    if (operation.type) {
      operationSeconds.observe(
        { transport: 'ws', type: operation.type, outcome: code ? 'error' : 'ok' },
        ms / 1000,
      );
      if (operation.type === 'subscription') subscriptions.dec();
    }
    operation.log.info({ transport: 'ws', ms, ...(code ? { code } : {}) }, 'operation');
  };
  const wsCleanup = useServer<{ authorization?: string }>(
    {
      schema,
      subscribe: sharedSubscribe,
      // A bad token closes the connection at once (4403) rather than failing every operation.
      onConnect: async (ctx) => {
        try {
          await reads.access(bearerToken(socketAuthorization(ctx)));
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        const { requestId } = operationOf(ctx, id);
        try {
          const address = clientAddress(ctx.extra.request);
          const connectionId = connectionIds.get(ctx.extra.socket) ?? 'unknown';
          const refused = await firstRefusal([
            () => limits.request(address),
            () => limits.operation(connectionId),
          ]);
          if (refused) return [rateLimitedError(refused)];
          const document = checkOperation(schema, payload);
          if (Array.isArray(document)) return document;
          const contextValue = await pipeline.context({
            authorization: socketAuthorization(ctx),
            requestId,
            clientAddress: address,
          });
          // Counted from here: the operation runs, and ends in onComplete or onError.
          const type = getOperationAST(document, payload.operationName)?.operation ?? 'unknown';
          operationOf(ctx, id).type = type;
          if (type === 'subscription') subscriptions.inc();
          return {
            schema,
            document,
            contextValue,
            variableValues: payload.variables ?? null,
            operationName: payload.operationName ?? null,
          };
        } catch (error) {
          // Anything unexpected is masked by onError like any internal error, never a closed socket.
          return [asGraphQLError(error)];
        }
      },
      // Errors in results (a resolver's, or the subscribe function's) and errors ending an
      // operation are shown exactly as over HTTP: public ones as written, the rest masked.
      onNext: (ctx, id, _payload, _args, result) => {
        const { requestId, log, type } = operationOf(ctx, id);
        // Before the result is sent: the caller's next read must see what the mutation wrote.
        if (type === 'mutation') reads.wrote();
        if (!result.errors?.length) return undefined;
        return { ...result, errors: pipeline.present(result.errors, requestId, log) };
      },
      onError: (ctx, id, _payload, errors) => {
        const { requestId, log } = operationOf(ctx, id);
        const presented = pipeline.present(errors, requestId, log);
        operationDone(ctx, id, presented[0]?.extensions?.['code']);
        return presented;
      },
      onComplete: (ctx, id) => operationDone(ctx, id),
    },
    wsServer,
  );

  const apollo = new ApolloServer<Context>({
    gateway: jitGateway(schema),
    formatError: maskErrors,
    includeStacktraceInErrorResponses: false,
    // The tokens limit stops graphql-js's lexer early; the shape limits come before validation's
    // own work (graphql/limits.ts).
    parseOptions: PARSE_OPTIONS,
    validationRules: [shapeLimitRule],
    // Compact JSON: Apollo pretty-prints by default, a third more bytes to build and send on a
    // page of clips.
    stringifyResult: (result) => JSON.stringify(result),
    // Batched HTTP requests stay off (Apollo's default): one operation per request.
    allowBatchedHttpRequests: false,
    // main.ts owns the signals and stops the queue and pool after Apollo.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Per-field cache hints cost half the throughput of list queries (measured: 1,086 → 1,761 req/s with them disabled).
      ApolloServerPluginCacheControlDisabled(),
      costLimit(schema),
      internalErrorLog(deps.log),
      {
        async requestDidStart() {
          return {
            async willSendResponse({ contextValue, operation, response }) {
              // Before the response is sent: the caller's next read must see what was written.
              if (operation?.operation === 'mutation') reads.wrote();
              const pending = (contextValue as PendingRead)[PENDING_READ];
              if (!pending || operation?.operation !== 'query' || response.body.kind !== 'single') return;
              const { singleResult } = response.body;
              if (singleResult.errors || (response.http.status ?? 200) !== 200) return;
              const body = JSON.stringify(singleResult);
              if (reads.responses.set(pending.key, pending.ticket, scopeOf(contextValue.access), body))
                responseCache.inc({ result: 'stored' });
            },
          };
        },
      },
      {
        async requestDidStart() {
          const end = operationSeconds.startTimer({ transport: 'http' });
          return {
            async willSendResponse(request) {
              end({
                type: request.operation?.operation ?? 'unknown',
                outcome: request.errors?.length ? 'error' : 'ok',
              });
            },
          };
        },
      },
      {
        async serverWillStart() {
          return {
            drainServer: async () => {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  // Request ids: taken from X-Request-Id or made, echoed back, and on every log line of the
  // request. Paths are logged without their query strings (signed links carry signatures).
  app.use((req, res, next) => {
    const requestId = requestIdOf(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    res.locals['requestId'] = requestId;
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      deps.log.info(
        {
          requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      );
    });
    next();
  });

  /** Per-address rate limit of /graphql, /exports and /blobs (after CORS, so a 429 is readable). */
  const limitByAddress: express.RequestHandler = (req, res, next) => {
    limits.request(clientAddress(req)).then((verdict) => {
      if (verdict.allowed) {
        next();
        return;
      }
      const { message, extensions } = rateLimited(verdict);
      res.setHeader('retry-after', String(verdict.retryAfterSeconds));
      sendError(res, 429, message, extensions);
    }, next);
  };

  // Signed, expiring download and upload links of the local store (S3 serves its own).
  const local = deps.store instanceof LocalBlobStore ? deps.store : undefined;
  if (local) {
    // Browsers upload parts from the web app's origin and must read each part's ETag.
    app.use(
      '/blobs',
      cors({ origin: corsOrigin(options.corsOrigins), maxAge: 600, exposedHeaders: ['etag'] }),
      limitByAddress,
    );
    app.all('/blobs/*path', (req, res, next) => {
      serveLocalBlob(local, req, res).catch(next);
    });
  }
  app.use('/exports', limitByAddress);
  mountExports(app, deps);

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, version: deps.version });
  });
  // Readiness: database, schema at this build's migration head, store (@rushes/data/readiness).
  const readiness = new ReadinessService(deps);
  app.get('/readyz', (_req, res, next) => {
    readiness.check().then((answer) => {
      res.status(answer.ready ? 200 : 503).json({ ...answer, version: deps.version });
    }, next);
  });
  app.get('/metrics', (_req, res, next) => {
    metrics.metrics().then((text) => {
      res.type(metrics.contentType).send(text);
    }, next);
  });
  mountIde(app);

  /**
   * A query asked before by the same caller, with the same body, answered from the read cache
   * while nothing it was read from changed (cached-reads.ts). The token is still checked and the
   * request still counted against the caller's rate limit; anything unusual (a bad token, a
   * caller over its limit) goes on to Apollo, which answers it as always. Only JSON bodies are
   * seen here (express.json keeps their text), the same ones Apollo's CSRF check lets through.
   */
  const rawBodies = new WeakMap<object, string>();
  const fromCache: express.RequestHandler = (req, res, next) => {
    const raw = rawBodies.get(req);
    if (req.method !== 'POST' || raw === undefined || !reads.responses.enabled) {
      next();
      return;
    }
    const key = `${req.headers.authorization ?? ''}\n${raw}`;
    res.locals['responseKey'] = key;
    const body = reads.responses.get(key);
    if (body === undefined) {
      responseCache.inc({ result: 'miss' });
      next();
      return;
    }
    const end = operationSeconds.startTimer({ transport: 'http' });
    reads
      .access(bearerToken(req.headers.authorization))
      .then((access) => pipeline.admit(access))
      .then(
        () => {
          responseCache.inc({ result: 'hit' });
          res.status(200).setHeader('content-type', 'application/json; charset=utf-8');
          res.end(body);
          end({ type: 'query', outcome: 'ok' });
        },
        () => next(),
      );
  };
  app.use(
    '/graphql',
    cors({ origin: corsOrigin(options.corsOrigins), maxAge: 600, exposedHeaders: ['x-request-id'] }),
    limitByAddress,
    express.json({
      limit: LIMITS.bodyBytes,
      verify: (req, _res, buffer) => {
        rawBodies.set(req, buffer.toString('utf8'));
      },
    }),
    fromCache,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const ticket = reads.ticket();
        const context = await pipeline.context({
          authorization: req.headers.authorization,
          requestId: String(res.locals['requestId']),
          clientAddress: req.ip,
        });
        const key = res.locals['responseKey'];
        return typeof key === 'string'
          ? Object.assign(context, { [PENDING_READ]: { key, ticket } })
          : context;
      },
    }),
  );
  // Anything else, and every error a route passes on: JSON, never Express's HTML page.
  app.use(notFound);
  app.use(jsonErrors(deps.log));

  return {
    httpServer,
    schema,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve((httpServer.address() as AddressInfo).port);
        });
      });
    },
    stop: async () => {
      reads.close();
      await apollo.stop();
    },
  };
}
