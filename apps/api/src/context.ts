// The type modules this pulls in use type-graphql's decorators, which need the metadata API first.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { BlobStore, ProtectedLocation } from '@rushes/storage';
import type pg from 'pg';
import type { Logger } from 'pino';
import { type Access } from './auth/access.ts';
import { AccountService } from './auth/accounts.service.ts';
import type { SignInThrottle } from './auth/sign-in-throttle.ts';
import { accessFor, bearerToken } from './auth/sessions.ts';
import type { Database } from './db.ts';
import type { EventHub } from './events/hub.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import type { Queue } from './queue.ts';

/** Long-lived dependencies, created once per process and passed in (never imported). */
export interface ApiDeps {
  db: Database;
  pool: pg.Pool;
  queue: Queue;
  log: Logger;
  version: string;
  /** The object store: downloads, uploads and deletes. */
  store: BlobStore;
  /** Signs the api's own short-lived links (exports, zips); the local store's secret. */
  signingSecret: string;
  /** The api's public base URL (for links it signs), e.g. http://localhost:4000. */
  publicUrl: string;
  /** Status events from LISTEN rushes_events, for subscriptions. */
  events: EventHub;
  /** The platform's own places (store, data folder, installation, system): never importable. */
  protectedPlaces: readonly ProtectedLocation[];
  /** Per-account and per-address sign-in limits, counted in PostgreSQL. */
  signInThrottle: SignInThrottle;
}

/** What every resolver receives: the caller's access, loaders and services for this request. */
export interface Context {
  deps: ApiDeps;
  access: Access;
  /** The bearer token the caller sent (signOut ends it). */
  token: string | undefined;
  /** The token's access read again (subscriptions, which outlive the request); throws InvalidTokenError. */
  reauthorize: () => Promise<Access>;
  requestId: string;
  /** The caller's IP address (sign-in throttling), when known. */
  clientAddress: string | undefined;
  log: Logger;
  loaders: Loaders;
  accounts: AccountService;
}

export interface RequestInfo {
  authorization?: string | null | undefined;
  requestId?: string | undefined;
  clientAddress?: string | undefined;
}

/** How a token becomes access: by default one query; the server passes its cache (cached-reads.ts). */
export type AccessLookUp = (token: string | undefined) => Promise<Access>;

/** Throws InvalidTokenError for a token that is not a live session or key. */
export async function createContext(
  deps: ApiDeps,
  request: RequestInfo,
  lookUp: AccessLookUp = (token) => accessFor(deps.pool, token),
): Promise<Context> {
  const token = bearerToken(request.authorization);
  const requestId = request.requestId ?? randomUUID();
  const access = await lookUp(token);
  return {
    deps,
    access,
    token,
    reauthorize: () => lookUp(token),
    requestId,
    clientAddress: request.clientAddress,
    log: deps.log.child({ requestId }),
    loaders: createLoaders(deps.db),
    accounts: new AccountService(deps.db, deps.signInThrottle),
  };
}
