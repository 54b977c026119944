import { describe, expect, it } from 'vitest';
import { ANONYMOUS, type Access, type Role } from '../src/auth/access.ts';
import {
  decide,
  INSTANCE,
  INSTANCE_ACTIONS,
  leastRole,
  POLICY,
  PRODUCTION_ACTIONS,
  principalsOf,
  production,
  readableProductions,
  ROLES,
  SELF,
  SELF_ACTIONS,
} from '../src/auth/policy.ts';

const P = '11111111-1111-4111-8111-111111111111';
const Q = '22222222-2222-4222-8222-222222222222';
const member = (role: Role): Access => ({ userId: 'u', admin: false, roles: new Map([[P, role]]) });
const key = (role: Role): Access => ({ apiKeyId: 'k', admin: false, roles: new Map([[P, role]]) });
const ADMIN: Access = { userId: 'a', admin: true, roles: new Map() };
const STRANGER: Access = { userId: 's', admin: false, roles: new Map([[Q, 'owner']]) };

describe('the policy table', () => {
  it('grants each production role exactly its actions, the same to a member and to a key of that role', () => {
    const table = (as: (role: Role) => Access) =>
      Object.fromEntries(
        ROLES.map((role) => [
          role,
          PRODUCTION_ACTIONS.filter((action) => decide(as(role), action, production(P)).allowed),
        ]),
      );
    const expected = {
      owner: ['read', 'export', 'oversee', 'ingest', 'configure', 'administer'],
      coordinator: ['read', 'export', 'oversee', 'ingest', 'configure'],
      editor: ['read', 'export'],
      vendor: ['read', 'export'],
    };
    expect(table(member)).toEqual(expected);
    expect(table(key)).toEqual(expected);
  });

  it('gives an admin every action in every production and on the instance; a role elsewhere gives nothing here', () => {
    for (const action of PRODUCTION_ACTIONS) {
      expect(decide(ADMIN, action, production(Q)).allowed).toBe(true);
      expect(decide(STRANGER, action, production(P)).allowed).toBe(false);
    }
    expect(decide(ADMIN, 'manage-import-roots', INSTANCE).allowed).toBe(true);
    expect(decide(member('owner'), 'manage-import-roots', INSTANCE).allowed).toBe(false);
  });

  it('lets people and keys browse, but only people act as a person', () => {
    expect(decide(member('vendor'), 'browse', SELF).allowed).toBe(true);
    expect(decide(key('vendor'), 'browse', SELF).allowed).toBe(true);
    expect(decide(member('vendor'), 'act-as-person', SELF).allowed).toBe(true);
    expect(decide(key('owner'), 'act-as-person', SELF)).toEqual({
      allowed: false,
      code: 'FORBIDDEN',
      message: 'API keys cannot do this; sign in as a person.',
    });
  });

  it('refuses an anonymous caller everything with UNAUTHENTICATED', () => {
    const resources = [
      ...PRODUCTION_ACTIONS.map((a) => [a, production(P)] as const),
      ...INSTANCE_ACTIONS.map((a) => [a, INSTANCE] as const),
      ...SELF_ACTIONS.map((a) => [a, SELF] as const),
    ];
    for (const [action, resource] of resources) {
      expect(decide(ANONYMOUS, action, resource)).toMatchObject({ allowed: false, code: 'UNAUTHENTICATED' });
    }
  });

  it('says NOT_FOUND to a caller who cannot read the production, naming what was asked for, and FORBIDDEN with the role needed to a reader', () => {
    expect(decide(STRANGER, 'read', production(P, 'clip'))).toEqual({
      allowed: false,
      code: 'NOT_FOUND',
      message: 'No clip with that id.',
    });
    expect(decide(member('vendor'), 'ingest', production(P))).toEqual({
      allowed: false,
      code: 'FORBIDDEN',
      message: 'This needs the coordinator role (or higher) in the production; you are vendor.',
      requiredRole: 'coordinator',
    });
    expect(decide(key('coordinator'), 'administer', production(P))).toMatchObject({
      code: 'FORBIDDEN',
      requiredRole: 'owner',
    });
  });

  it('tells an API key and a person who is not an admin apart when refusing instance actions', () => {
    expect(decide(key('owner'), 'manage-import-roots', INSTANCE)).toMatchObject({
      code: 'FORBIDDEN',
      message: 'API keys cannot do this; sign in as a person.',
    });
    expect(decide(member('owner'), 'manage-import-roots', INSTANCE)).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only an instance administrator manages import roots.',
    });
  });

  it('names the least role of each production action from the table', () => {
    expect(Object.fromEntries(PRODUCTION_ACTIONS.map((a) => [a, leastRole(a)]))).toEqual({
      read: 'vendor',
      export: 'vendor',
      oversee: 'coordinator',
      ingest: 'coordinator',
      configure: 'coordinator',
      administer: 'owner',
    });
  });

  it('lists the principals a caller is, and the productions it may read', () => {
    expect(principalsOf(member('editor'), P)).toEqual(['person', 'editor']);
    expect(principalsOf(key('vendor'), Q)).toEqual(['api-key']);
    expect(principalsOf(ADMIN, Q)).toEqual(['person', 'admin', 'owner']);
    expect(readableProductions(member('vendor'))).toEqual([P]);
    expect(readableProductions(ADMIN)).toBe('all');
  });

  it('has a row for every action and refuses to evaluate one it does not know', () => {
    expect(Object.keys(POLICY.production)).toEqual([...PRODUCTION_ACTIONS]);
    expect(Object.keys(POLICY.instance)).toEqual([...INSTANCE_ACTIONS]);
    expect(Object.keys(POLICY.self)).toEqual([...SELF_ACTIONS]);
    expect(() => decide(ADMIN, 'read', INSTANCE)).toThrow(
      'The policy has no action "read" for instance resources.',
    );
  });
});
