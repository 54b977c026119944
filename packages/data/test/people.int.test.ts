/** Members, invitations, API keys and the audit trail on a real PostgreSQL. */
import { users } from '@rushes/schema/tables';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeysOfProduction, createApiKey, revokeApiKey } from '../src/api-keys.ts';
import { auditEventsOfProduction, recordAudit } from '../src/audit.ts';
import type { Database } from '../src/db.ts';
import {
  acceptInvitation,
  createSession,
  credentialsOf,
  deleteSession,
  findUser,
  hasAnyAccount,
  invitedAccount,
} from '../src/users.ts';
import {
  accountForMember,
  countOwners,
  findMember,
  memberByEmail,
  membersOfProduction,
  removeMember,
  setMemberRole,
} from '../src/members.ts';
import { newProduction as addProduction, useTestDatabase } from './support.ts';

const database = useTestDatabase();
let db: Database;
beforeAll(() => {
  db = database.db;
});

const newProduction = async (code: string) => (await addProduction(db, code)).id;

const invite = (hash: string) => ({
  inviteTokenHash: hash,
  inviteExpiresAt: new Date(Date.now() + 86_400_000),
});

describe('members', () => {
  it('invites a person without an account, re-invites one not signed up yet, and takes an active account as it is', async () => {
    const productionId = await newProduction('ME');
    const fresh = await accountForMember(db, 'new@example.com', invite('h1'));
    expect(fresh).toEqual({ userId: expect.any(String), invited: true });
    const again = await accountForMember(db, 'new@example.com', invite('h2'));
    expect(again).toEqual({ userId: fresh.userId, invited: true });
    const [active] = await db
      .insert(users)
      .values({ email: 'Active@Example.com', name: 'A', passwordHash: 'x' })
      .returning();
    expect(await accountForMember(db, 'active@example.com', invite('h3'))).toEqual({
      userId: active!.id,
      invited: false,
    });

    await setMemberRole(db, productionId, fresh.userId, 'editor');
    await setMemberRole(db, productionId, fresh.userId, 'coordinator');
    await setMemberRole(db, productionId, active!.id, 'owner');
    expect((await membersOfProduction(db, productionId)).map((m) => [m.email, m.role, m.active])).toEqual([
      ['Active@Example.com', 'owner', true],
      ['new@example.com', 'coordinator', false],
    ]);
    expect(await memberByEmail(db, productionId, ' ACTIVE@example.com ')).toMatchObject({
      userId: active!.id,
    });
    expect(await countOwners(db, productionId)).toBe(1);
    await removeMember(db, productionId, fresh.userId);
    expect(await findMember(db, productionId, fresh.userId)).toBeUndefined();
    expect(await findMember(db, productionId, active!.id)).toMatchObject({ role: 'owner' });
  });
});

describe('API keys', () => {
  it('lists the keys that reach a production, newest first, and revokes a key once', async () => {
    const one = await newProduction('KA');
    const two = await newProduction('KB');
    const key = (name: string, productionIds: string[]) =>
      createApiKey(db, { name, prefix: name, secretHash: name, role: 'editor', productionIds });
    const first = await key('first', [one]);
    const both = await key('both', [one, two]);
    await key('other', [two]);
    expect((await apiKeysOfProduction(db, one)).map((k) => k.name)).toEqual(['both', 'first']);
    const revoked = await revokeApiKey(db, first.id);
    expect(revoked?.revokedAt).toBeInstanceOf(Date);
    expect(await revokeApiKey(db, first.id)).toBeUndefined();
    expect((await apiKeysOfProduction(db, two)).map((k) => k.id)).toContain(both.id);
  });
});

describe('audit trail', () => {
  it('pages a production’s events newest first with the total', async () => {
    const productionId = await newProduction('AU');
    await recordAudit(
      db,
      ['a', 'b', 'c'].map((action) => ({
        productionId,
        action,
        subjectType: 'production',
        subjectId: productionId,
      })),
    );
    await recordAudit(db, []);
    const page = await auditEventsOfProduction(db, productionId, { limit: 2, offset: 0 });
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.action)).toEqual(['c', 'b']);
    const rest = await auditEventsOfProduction(db, productionId, { limit: 2, offset: 2 });
    expect(rest.rows.map((r) => r.action)).toEqual(['a']);
  });
});

describe('accounts and sessions', () => {
  it('accepts an unexpired invitation once, for its e-mail only, and ends a session once', async () => {
    const { userId } = await accountForMember(db, 'invitee@example.com', invite('tok'));
    expect(await invitedAccount(db, 'invitee@example.com', 'tok')).toBe(userId);
    expect(await invitedAccount(db, 'other@example.com', 'tok')).toBeUndefined();
    expect(
      await acceptInvitation(db, 'invitee@example.com', 'wrong', { passwordHash: 'p', name: 'I' }),
    ).toBeUndefined();
    expect(await acceptInvitation(db, 'invitee@example.com', 'tok', { passwordHash: 'p', name: 'I' })).toBe(
      userId,
    );
    expect(
      await acceptInvitation(db, 'invitee@example.com', 'tok', { passwordHash: 'q', name: 'I' }),
    ).toBeUndefined();
    expect(await credentialsOf(db, 'invitee@example.com')).toEqual({
      id: userId,
      passwordHash: 'p',
      disabledAt: null,
    });
    expect(await findUser(db, userId)).toMatchObject({ name: 'I', inviteTokenHash: null });

    await db.insert(users).values({
      email: 'late@example.com',
      inviteTokenHash: 'old',
      inviteExpiresAt: new Date(Date.now() - 1000),
    });
    expect(await invitedAccount(db, 'late@example.com', 'old')).toBeUndefined();

    expect(await hasAnyAccount(db)).toBe(true);
    await createSession(db, { userId, tokenHash: 'session-hash', expiresAt: new Date(Date.now() + 60_000) });
    expect(await deleteSession(db, 'session-hash')).toBe(true);
    expect(await deleteSession(db, 'session-hash')).toBe(false);
  });
});
