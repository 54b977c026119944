/**
 * Sign-in throttling and the password policy against a real api (its own PostgreSQL database):
 * limits are counted in the `rate_limits` table, and a refused attempt does no scrypt work.
 */
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { passwordHashStats } from '@rushes/schema/credentials';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestApi, type TestApi } from './support/api.ts';

const SIGN_IN =
  'mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }';
const SIGN_UP =
  'mutation($email: String!, $password: String!, $invitation: String) { signUp(email: $email, password: $password, invitation: $invitation) { token } }';

interface Answer {
  token?: string;
  code?: string;
  message?: string;
  extensions?: Record<string, unknown>;
}

function answerOf(body: { data?: any; errors?: any[] }, field: string): Answer {
  const error = body.errors?.[0];
  if (error) return { code: error.extensions?.code, message: error.message, extensions: error.extensions };
  return { token: body.data?.[field]?.token };
}

async function signIn(api: TestApi, email: string, password: string): Promise<Answer> {
  return answerOf((await api.graphql(SIGN_IN, { email, password })).body, 'signIn');
}

/** Signs in from another loopback address (127.0.0.2): another client, as far as the api can tell. */
function signInFrom(api: TestApi, localAddress: string, email: string, password: string): Promise<Answer> {
  const body = JSON.stringify({ query: SIGN_IN, variables: { email, password } });
  return new Promise((resolve, reject) => {
    const req = request(
      api.url,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(answerOf(JSON.parse(text), 'signIn')));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('sign-in throttling per account', () => {
  let api: TestApi;
  const owner = 'owner@example.com';

  beforeAll(async () => {
    api = await startTestApi({
      signInLimits: {
        accountAttempts: 5,
        accountWindowSeconds: 60,
        // 4 s, not less: on a loaded 2-core machine the 60 answers took over 2 s to arrive (CI).
        lockSeconds: 4,
        maxLockSeconds: 16,
        addressAttempts: 1000,
      },
    });
    await api.signUp(owner);
  });
  afterAll(() => api?.stop());

  it('checks at most 5 of 60 wrong passwords sent at once, refuses the rest before any scrypt work, then refuses the right one until the lock ends', async () => {
    const hashesBefore = passwordHashStats().done;
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => signIn(api, owner, `wrong password number ${i}`)),
    );
    const checked = answers.filter((a) => a.code === 'UNAUTHENTICATED');
    const throttled = answers.filter((a) => a.code === 'TOO_MANY_ATTEMPTS');

    expect(checked).toHaveLength(5);
    expect(throttled).toHaveLength(55);
    // Only the five reserved attempts ran scrypt: the shared thread pool never saw the other 55.
    expect(passwordHashStats().done - hashesBefore).toBe(5);
    for (const answer of throttled) {
      expect(answer.message).toMatch(/^Too many sign-in attempts for this account; try again in \d+ s\.$/);
      expect(answer.extensions).toMatchObject({ scope: 'account', retryAfterSeconds: expect.any(Number) });
      // The lock's 4 s, or — for an attempt that raced the lock being set — at most the window.
      expect(answer.extensions!['retryAfterSeconds']).toBeLessThanOrEqual(60);
    }
    // The right password is refused while the account is locked (4 s, the first lock)…
    const locked = await signIn(api, owner, PASSWORD);
    expect(locked.code).toBe('TOO_MANY_ATTEMPTS');
    const retryAfter = locked.extensions!['retryAfterSeconds'] as number;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(4);
    expect(locked.message).toBe(`Too many sign-in attempts for this account; try again in ${retryAfter} s.`);
    const hashesLocked = passwordHashStats().done;

    // …and after it: five more attempts, the fifth locking it again, twice as long (8 s).
    await sleep(retryAfter * 1000 + 100);
    for (let i = 0; i < 5; i += 1) {
      expect((await signIn(api, owner, `still wrong ${i}`)).code).toBe('UNAUTHENTICATED');
    }
    expect(passwordHashStats().done - hashesLocked).toBe(5);
    const second = await signIn(api, owner, PASSWORD);
    expect(second).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', extensions: { retryAfterSeconds: 8 } });

    await sleep(8100);
    expect((await signIn(api, owner, PASSWORD)).token).toMatch(/^rs_session_/);
  });

  it('starts the count over after a right password', async () => {
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < 4; i += 1) {
        expect((await signIn(api, owner, `wrong again ${i}`)).code).toBe('UNAUTHENTICATED');
      }
      expect((await signIn(api, owner, PASSWORD)).token).toMatch(/^rs_session_/);
    }
  });

  it('throttles an unknown e-mail exactly like an account, so throttling tells nothing about who has one', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 6; i += 1) answers.push(await signIn(api, 'Nobody@Example.com', `guess ${i}`));
    expect(answers.slice(0, 5).map((a) => a.message)).toEqual(
      Array(5).fill('That e-mail and password do not match an account.'),
    );
    expect(answers[5]).toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      message: expect.stringMatching(/^Too many sign-in attempts for this account; try again in [1-4] s\.$/),
    });
    // Counted by the normalized e-mail, whatever its case.
    expect((await signIn(api, 'nobody@example.com', 'guess 7')).code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('keeps the counts in PostgreSQL, keyed by a hash of the e-mail', async () => {
    const { rows } = await api.resources.pool.query<{ key: string }>(
      'select key from rate_limits order by key',
    );
    const keys = rows.map((r) => r.key);
    expect(keys.some((k) => /^sign_in_account:[0-9a-f]{64}$/.test(k))).toBe(true);
    expect(keys).toContain('sign_in_address:127.0.0.1');
    expect(keys.join(' ')).not.toMatch(/example\.com/);
  });
});

describe('sign-in throttling per client address', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ signInLimits: { addressAttempts: 6, addressWindowSeconds: 60 } });
    await api.signUp('owner@example.com');
  });
  afterAll(() => api?.stop());

  it('refuses an address after 6 wrong passwords across accounts, not other addresses; right passwords do not count', async () => {
    for (let i = 0; i < 3; i += 1) {
      expect((await signIn(api, 'owner@example.com', PASSWORD)).token).toBeDefined();
    }
    for (const email of ['a@example.com', 'b@example.com', 'owner@example.com']) {
      for (let i = 0; i < 2; i += 1)
        expect((await signIn(api, email, `wrong ${i}`)).code).toBe('UNAUTHENTICATED');
    }
    const hashesBefore = passwordHashStats().done;
    const refused = await signIn(api, 'owner@example.com', PASSWORD);
    expect(refused).toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      message: expect.stringMatching(/^Too many sign-in attempts from this address; try again in \d+ s\.$/),
      extensions: { scope: 'address' },
    });
    expect(refused.extensions!['retryAfterSeconds']).toBeLessThanOrEqual(60);
    expect((await signIn(api, 'c@example.com', 'a first try')).code).toBe('TOO_MANY_ATTEMPTS');
    expect(passwordHashStats().done).toBe(hashesBefore);

    // Another client (127.0.0.2) is not held back by this one.
    expect((await signInFrom(api, '127.0.0.2', 'owner@example.com', PASSWORD)).token).toMatch(/^rs_session_/);
  });
});

describe('password policy at sign-up and invitation', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.stop());

  async function signUp(email: string, password: string, invitation?: string) {
    return (await api.graphql(SIGN_UP, { email, password, invitation })).body;
  }

  it('refuses a blank or common password for the first admin and says why', async () => {
    expect((await signUp('admin@example.com', '          ')).errors?.[0]).toMatchObject({
      message: 'A password cannot be blank.',
      extensions: { code: 'BAD_USER_INPUT', field: 'password' },
    });
    for (const [password, why] of [
      ['1234567890', /This is a frequently used password\./],
      ['password12', /This is a commonly used password\./],
      ['admin@example.com', /personal/],
    ] as const) {
      const error = (await signUp('admin@example.com', password)).errors?.[0];
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
      expect(error.message).toMatch(/^This password is too easy to guess\. /);
      expect(error.message).toMatch(why);
    }
    expect((await signUp('admin@example.com', 'password')).errors?.[0].message).toBe(
      'A password needs at least 10 characters.',
    );
    const setup = await api.graphql('{ setupRequired }');
    expect(setup.body.data.setupRequired).toBe(true);
  });

  it('refuses a weak password when an invitation is accepted, and checks the invitation first', async () => {
    const admin = await api.signUp('admin@example.com');
    const production = await api.graphql(
      'mutation($input: CreateProductionInput!) { createProduction(input: $input) { id } }',
      { input: { name: 'Night Shoot', code: 'NS' } },
      admin,
    );
    const added = await api.graphql(
      'mutation($p: ID!) { addMember(productionId: $p, email: "editor@example.com", role: editor) { invitation } }',
      { p: production.body.data.createProduction.id },
      admin,
    );
    const invitation = added.body.data.addMember.invitation as string;

    const hashesBefore = passwordHashStats().done;
    expect((await signUp('editor@example.com', 'password12', 'rs_invite_forged')).errors?.[0]).toMatchObject({
      message: 'This invitation is not valid for that e-mail, or has expired.',
      extensions: { code: 'BAD_USER_INPUT', field: 'invitation' },
    });
    expect((await signUp('stranger@example.com', 'glacier-mango-tumble-orbit')).errors?.[0]).toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    expect(passwordHashStats().done).toBe(hashesBefore);

    expect((await signUp('editor@example.com', 'qwertyuiop', invitation)).errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^This password is too easy to guess\. /),
      extensions: { field: 'password' },
    });
    const accepted = await signUp('editor@example.com', 'glacier-mango-tumble-orbit', invitation);
    expect(accepted.data?.signUp.token).toMatch(/^rs_session_/);
  });
});
