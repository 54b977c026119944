'use client';

import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useQuery } from 'urql';
import { FormError } from './form-error.tsx';
import { VIEWER } from '../lib/queries.ts';
import { sessionRequest, useSession } from '../lib/session.tsx';

/** Shows `children` to a signed-in person; otherwise the sign-in (or first-run) form. */
export function SignedIn({ children }: { children: ReactNode }) {
  const session = useSession();
  const [{ data: fresh, fetching, error }] = useQuery({ query: VIEWER });
  const data = fresh ?? session.serverViewer ?? undefined;

  const expired =
    error?.response?.status === 401 || error?.graphQLErrors[0]?.extensions['code'] === 'UNAUTHENTICATED';
  // An expired or signed-out session: forget it and ask again.
  useEffect(() => {
    if (expired) void session.signOut();
  }, [expired, session]);

  if ((fetching && !data) || expired) return <p className="muted">Loading…</p>;
  if (error) {
    return (
      <p role="alert" className="error">
        Cannot reach the Rushes api: {error.message}
      </p>
    );
  }
  if (!data?.viewer) return <SignInForm firstRun={data?.setupRequired ?? false} />;
  return (
    <>
      <div className="account">
        <span className="muted">{data.viewer.email}</span>
        <button type="button" className="link" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </div>
      {children}
    </>
  );
}

function SignInForm({ firstRun }: { firstRun: boolean }) {
  const session = useSession();
  const invitation =
    typeof window === 'undefined' ? null : new URLSearchParams(window.location.search).get('invitation');
  const signingUp = firstRun || invitation !== null;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  // The web server signs in with the api and keeps the session in an HttpOnly cookie.
  async function submit(event: FormEvent) {
    event.preventDefault();
    setSending(true);
    setError(null);
    try {
      await (signingUp
        ? sessionRequest('sign-up', { email, password, invitation })
        : sessionRequest('sign-in', { email, password }));
      session.signedIn();
    } catch (failure) {
      setError(failure as Error);
      setSending(false);
    }
  }

  return (
    <section aria-labelledby="sign-in-title" className="narrow">
      <h1 id="sign-in-title">
        {firstRun ? 'Welcome to Rushes' : signingUp ? 'Create your account' : 'Sign in'}
      </h1>
      {firstRun ? <p className="muted">Create the administrator account of this Rushes instance.</p> : null}
      <form className="card column" onSubmit={submit} aria-label={signingUp ? 'Create account' : 'Sign in'}>
        <label>
          E-mail
          <input
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete={signingUp ? 'new-password' : 'current-password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            minLength={signingUp ? 10 : undefined}
            required
          />
        </label>
        <button type="submit" disabled={sending}>
          {signingUp ? 'Create account' : 'Sign in'}
        </button>
        <FormError error={error} />
      </form>
    </section>
  );
}
