'use client';

import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { FormError } from './form-error.tsx';
import { VIEWER } from '../lib/queries.ts';
import { useSession } from '../lib/session.tsx';

const SIGN_IN = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) {
      token
    }
  }
`);

const SIGN_UP = graphql(`
  mutation SignUp($email: String!, $password: String!, $name: String, $invitation: String) {
    signUp(email: $email, password: $password, name: $name, invitation: $invitation) {
      token
    }
  }
`);

/** Shows `children` to a signed-in person; otherwise the sign-in (or first-run) form. */
export function SignedIn({ children }: { children: ReactNode }) {
  const session = useSession();
  const [{ data: fresh, fetching, error }] = useQuery({ query: VIEWER, pause: !session.loaded });
  const data = fresh ?? session.serverViewer ?? undefined;

  const expired =
    error?.response?.status === 401 || error?.graphQLErrors[0]?.extensions['code'] === 'UNAUTHENTICATED';
  // An expired or signed-out session: forget it and ask again.
  useEffect(() => {
    if (expired) session.signOut();
  }, [expired, session]);

  if (!session.loaded || (fetching && !data) || expired) return <p className="muted">Loading…</p>;
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
        <button type="button" className="link" onClick={session.signOut}>
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
  const [{ fetching: signingIn, error: signInError }, signIn] = useMutation(SIGN_IN);
  const [{ fetching: creating, error: signUpError }, signUp] = useMutation(SIGN_UP);
  const error = signingUp ? signUpError : signInError;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = signingUp
      ? await signUp({ email, password, invitation })
      : await signIn({ email, password });
    const token =
      result.data && ('signUp' in result.data ? result.data.signUp.token : result.data.signIn.token);
    if (token) session.signIn(token);
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
        <button type="submit" disabled={signingIn || creating}>
          {signingUp ? 'Create account' : 'Sign in'}
        </button>
        <FormError error={error} />
      </form>
    </section>
  );
}
