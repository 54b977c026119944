'use client';

/**
 * The signed-in session of this browser: the bearer token the api gave at sign-in, kept in
 * localStorage so a reload stays signed in, and mirrored in a cookie so the web server can
 * render a signed-in first paint. Every HTTP and WebSocket operation carries it.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ViewerQuery } from '../gql/graphql.ts';
import { sessionCookie } from './session-cookie.ts';

const KEY = 'rushes.session';

interface Session {
  token: string | null;
  /** False until the token is known: read from localStorage, or given by the server's render. */
  loaded: boolean;
  /** Who the server found signed in while rendering the page, until the browser asks itself. */
  serverViewer: ViewerQuery | null;
  signIn(token: string): void;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

const remember = (token: string | null) => {
  document.cookie = sessionCookie(token, window.location.protocol === 'https:');
};

export function SessionProvider({
  children,
  serverToken,
  serverViewer,
}: {
  children: ReactNode;
  serverToken: string | null;
  serverViewer: ViewerQuery | null;
}) {
  // A session the server rendered for is known at once: the first paint is already signed in.
  const known = serverViewer?.viewer ? serverToken : null;
  const [token, setToken] = useState<string | null>(known);
  const [loaded, setLoaded] = useState(known !== null);
  const [viewer, setViewer] = useState(known !== null ? serverViewer : null);
  useEffect(() => {
    const stored = window.localStorage.getItem(KEY);
    // Sessions from before the cookie existed gain it; a cookie without a stored token goes.
    if (stored !== serverToken) remember(stored);
    if (stored !== known) {
      setToken(stored);
      setViewer(null);
    }
    setLoaded(true);
  }, [known, serverToken]);
  const signIn = useCallback((value: string) => {
    window.localStorage.setItem(KEY, value);
    remember(value);
    setViewer(null);
    setToken(value);
  }, []);
  const signOut = useCallback(() => {
    window.localStorage.removeItem(KEY);
    remember(null);
    setViewer(null);
    setToken(null);
  }, []);
  return (
    <SessionContext.Provider value={{ token, loaded, serverViewer: viewer, signIn, signOut }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
