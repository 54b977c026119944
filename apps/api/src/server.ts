/**
 * The api as a value: `createApiServer` wires Apollo (HTTP) and graphql-ws (WebSocket) on one
 * http.Server at /graphql; `listen` is separate so tests can use any free port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import { LocalBlobStore, serveLocalBlob } from '@rushes/storage';
import express from 'express';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createContext, type ApiDeps } from './context.ts';
import { maskErrors } from './errors.ts';
import { buildApiSchema } from './schema.ts';

export interface ApiServerOptions {
  /** Browser origins allowed by CORS: `*` or a comma-separated list. */
  corsOrigins: string;
}

export interface ApiServer {
  httpServer: Server;
  /** Starts listening; resolves with the bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** Closes WebSockets, drains HTTP requests, stops Apollo. */
  stop(): Promise<void>;
}

function corsOrigin(setting: string): cors.CorsOptions['origin'] {
  return setting.trim() === '*' ? true : setting.split(',').map((origin) => origin.trim());
}

export async function createApiServer(deps: ApiDeps, options: ApiServerOptions): Promise<ApiServer> {
  const schema = await buildApiSchema();
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer({ schema, context: () => createContext(deps) }, wsServer);

  const apollo = new ApolloServer({
    schema,
    formatError: maskErrors(deps.log),
    includeStacktraceInErrorResponses: false,
    // main.ts owns the signals and stops the queue and pool after Apollo.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Per-field cache hints cost half the throughput of list queries (TRAPS.md).
      ApolloServerPluginCacheControlDisabled(),
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

  // Signed, expiring download and upload links of the local store (S3 serves its own).
  const local = deps.store instanceof LocalBlobStore ? deps.store : undefined;
  if (local) {
    app.all('/blobs/*path', (req, res, next) => {
      serveLocalBlob(local, req, res).catch(next);
    });
  }

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, version: deps.version });
  });
  app.use(
    '/graphql',
    cors({ origin: corsOrigin(options.corsOrigins), maxAge: 600 }),
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, { context: async () => createContext(deps) }),
  );

  return {
    httpServer,
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
