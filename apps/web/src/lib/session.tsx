'use client';

/**
 * The signed-in session of this browser. Its token lives only in an HttpOnly cookie that no
 * script can read (lib/session-cookie.ts): the web server's `/session/…` routes set and clear it,
 * and turn it into the api's bearer header for every `/graphql` request and socket. What the
 * browser keeps is a generation number: each sign-in or sign-out makes a new one, and with it a
 * new GraphQL client, so no cached result of one person is shown to the next.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ViewerQuery } from '../gql/graphql.ts';

/** Where sessions were kept before the HttpOnly cookie: removed from browsers that still hold one. */
const LEGACY_KEY = 'rushes.session';

export type SessionAction = 'sign-in' | 'sign-up' | 'sign-out';

/** A refused sign-in or sign-up, said as the api said it. */
export class SessionError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'SessionError';
    this.code = code;
  }
}

/** Calls one of the web server's session routes; resolves when the cookie is set (or cleared). */
export async function sessionRequest(
  action: SessionAction,
  body: Record<string, unknown> = {},
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`/session/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new SessionError('Cannot reach the Rushes web server.', 'NETWORK_ERROR');
  }
  if (response.ok) return;
  const answer = (await response.json().catch(() => ({}))) as {
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  const error = answer.errors?.[0];
  throw new SessionError(
    error?.message ?? `The web server answered ${response.status}.`,
    error?.extensions?.code ?? 'HTTP_ERROR',
  );
}

interface Session {
  /** Changes with every sign-in and sign-out. */
  generation: number;
  /** Who the server found signed in while rendering the page, until the browser asks itself. */
  serverViewer: ViewerQuery | null;
  /** After a successful sign-in or sign-up (the cookie is set): start afresh as that person. */
  signedIn(): void;
  /** Clears the cookie (and ends the api's session), then starts afresh signed out. */
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({
  children,
  serverViewer,
}: {
  children: ReactNode;
  serverViewer: ViewerQuery | null;
}) {
  const [generation, setGeneration] = useState(0);
  const [viewer, setViewer] = useState(serverViewer);
  useEffect(() => {
    window.localStorage.removeItem(LEGACY_KEY);
  }, []);
  const signedIn = useCallback(() => {
    setViewer(null);
    setGeneration((n) => n + 1);
  }, []);
  const signOut = useCallback(async () => {
    await sessionRequest('sign-out').catch(() => undefined);
    setViewer(null);
    setGeneration((n) => n + 1);
  }, []);
  const session = useMemo(
    () => ({ generation, serverViewer: viewer, signedIn, signOut }),
    [generation, viewer, signedIn, signOut],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
