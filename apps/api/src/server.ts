/**
 * The api as a value: `createApiServer` wires Apollo (HTTP) and graphql-ws (WebSocket) on one
 * http.Server at /graphql, the signed download routes (/blobs for the local store, /exports for
 * ALE, CSV and zips) and the GraphQL IDE; `listen` is separate so tests can use any free port.
 */
// type-graphql's decorators need the metadata API before any type module is evaluated.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import { LocalBlobStore, serveLocalBlob } from '@rushes/storage';
import express from 'express';
import { GraphQLError, parse, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { accessFor, bearerToken, InvalidTokenError } from './auth/sessions.ts';
import { createContext, type ApiDeps, type Context } from './context.ts';
import { internalErrorLog, maskErrors } from './errors.ts';
import { mountExports } from './exports/routes.ts';
import { jitGateway } from './graphql/executor.ts';
import { assertAffordable, limitRules } from './graphql/limits.ts';
import { mountIde } from './ide.ts';
import { buildApiSchema } from './schema.ts';

export interface ApiServerOptions {
  /** Browser origins allowed by CORS: `*` or a comma-separated list. */
  corsOrigins: string;
}

export interface ApiServer {
  httpServer: Server;
  schema: GraphQLSchema;
  /** Starts listening; resolves with the bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** Closes WebSockets, drains HTTP requests, stops Apollo. */
  stop(): Promise<void>;
}

function corsOrigin(setting: string): cors.CorsOptions['origin'] {
  return setting.trim() === '*' ? true : setting.split(',').map((origin) => origin.trim());
}

/** A request id: the caller's X-Request-Id when it is a sane token, else a new one. */
function requestIdOf(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

/** An invalid or expired token is the caller's problem, said as such (HTTP 401). */
async function contextOrExplain(deps: ApiDeps, authorization: string | undefined, requestId: string) {
  try {
    return await createContext(deps, { authorization, requestId });
  } catch (error) {
    if (error instanceof InvalidTokenError) {
      throw new GraphQLError(error.message, {
        extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
      });
    }
    throw error;
  }
}

/** Refuses operations over the cost limit once Apollo knows the operation and its variables. */
function costLimit(schema: GraphQLSchema): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          assertAffordable(schema, document, request.variables, request.operationName);
        },
      };
    },
  };
}

export async function createApiServer(deps: ApiDeps, options: ApiServerOptions): Promise<ApiServer> {
  const schema = await buildApiSchema();
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer<{ authorization?: string }>(
    {
      schema,
      // A bad token closes the connection at once (4403) rather than failing every operation.
      onConnect: async (ctx) => {
        try {
          await accessFor(deps.pool, bearerToken(ctx.connectionParams?.authorization));
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(schema, document, [...specifiedRules, ...limitRules]);
        if (errors.length > 0) return errors;
        try {
          assertAffordable(schema, document, payload.variables ?? undefined, payload.operationName);
          const contextValue = await contextOrExplain(
            deps,
            ctx.connectionParams?.authorization,
            randomUUID(),
          );
          return {
            schema,
            document,
            contextValue,
            variableValues: payload.variables ?? null,
            operationName: payload.operationName ?? null,
          };
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
      },
      onError: (_ctx, _id, _payload, errors) => {
        deps.log.debug({ errors: errors.map((e) => e.message) }, 'subscription errors');
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<Context>({
    gateway: jitGateway(schema),
    formatError: maskErrors,
    includeStacktraceInErrorResponses: false,
    validationRules: limitRules,
    // Compact JSON: Apollo pretty-prints by default, a third more bytes to build and send on a
    // page of clips.
    stringifyResult: (result) => JSON.stringify(result),
    // Batched HTTP requests stay off (Apollo's default): one operation per request.
    allowBatchedHttpRequests: false,
    // main.ts owns the signals and stops the queue and pool after Apollo.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Per-field cache hints cost half the throughput of list queries (TRAPS.md).
      ApolloServerPluginCacheControlDisabled(),
      costLimit(schema),
      internalErrorLog(deps.log),
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

  // Signed, expiring download and upload links of the local store (S3 serves its own).
  const local = deps.store instanceof LocalBlobStore ? deps.store : undefined;
  if (local) {
    // Browsers upload parts from the web app's origin and must read each part's ETag.
    app.use(
      '/blobs',
      cors({ origin: corsOrigin(options.corsOrigins), maxAge: 600, exposedHeaders: ['etag'] }),
    );
    app.all('/blobs/*path', (req, res, next) => {
      serveLocalBlob(local, req, res).catch(next);
    });
  }
  mountExports(app, deps);

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, version: deps.version });
  });
  mountIde(app);
  app.use(
    '/graphql',
    cors({ origin: corsOrigin(options.corsOrigins), maxAge: 600, exposedHeaders: ['x-request-id'] }),
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) =>
        contextOrExplain(deps, req.headers.authorization, String(res.locals['requestId'])),
    }),
  );

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
    stop: () => apollo.stop(),
  };
}
