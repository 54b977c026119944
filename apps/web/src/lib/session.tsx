'use client';

/**
 * The signed-in session of this browser: the bearer token the api gave at sign-in, kept in
 * localStorage so a reload stays signed in. Every HTTP and WebSocket operation carries it.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';

const KEY = 'rushes.session';

interface Session {
  token: string | null;
  /** False until localStorage has been read (first render on the client). */
  loaded: boolean;
  signIn(token: string): void;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    setToken(window.localStorage.getItem(KEY));
    setLoaded(true);
  }, []);
  const signIn = useCallback((value: string) => {
    window.localStorage.setItem(KEY, value);
    setToken(value);
  }, []);
  const signOut = useCallback(() => {
    window.localStorage.removeItem(KEY);
    setToken(null);
  }, []);
  return (
    <SessionContext.Provider value={{ token, loaded, signIn, signOut }}>{children}</SessionContext.Provider>
  );
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
