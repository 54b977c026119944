'use client';

import { createClient as createWsClient } from 'graphql-ws';
import { useMemo, type ReactNode } from 'react';
import { cacheExchange, Client, fetchExchange, Provider, subscriptionExchange, type Exchange } from 'urql';
import { useSession } from './session.tsx';

/** This origin's GraphQL endpoint: the web server forwards it to the api with the session. */
export const GRAPHQL_PATH = '/graphql';

/** Pure: the ws(s):// URL of `path` on the page's origin. */
export function toWebSocketUrl(pageUrl: string, path = GRAPHQL_PATH): string {
  const url = new URL(path, pageUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * One urql client per browser tab and session: HTTP for queries and mutations, graphql-ws for
 * subscriptions, both to this origin's `/graphql`, the session riding in its HttpOnly cookie. A
 * new session (sign-in, sign-out) makes a new client, so no cached result of one person is
 * shown to the next. While the server renders, operations wait: the pages that render data on
 * the server have it already (lib/server-query.ts).
 */
export function GraphQLProvider({ children }: { children: ReactNode }) {
  const { generation } = useSession();
  const client = useMemo(() => {
    const exchanges: Exchange[] = [cacheExchange];
    if (typeof window !== 'undefined') {
      const ws = createWsClient({ url: toWebSocketUrl(window.location.href), lazy: true });
      exchanges.push(
        fetchExchange,
        subscriptionExchange({
          forwardSubscription: (request) => ({
            subscribe: (sink) => ({
              unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink),
            }),
          }),
        }),
      );
    }
    return new Client({
      url: GRAPHQL_PATH,
      // POST every operation: the web server forwards JSON POSTs only (README, "Sessions").
      preferGetMethod: false,
      fetchOptions: { credentials: 'same-origin' },
      exchanges,
    });
    // `generation` is not read: a new value is what makes a new client.
  }, [generation]);
  return <Provider value={client}>{children}</Provider>;
}
