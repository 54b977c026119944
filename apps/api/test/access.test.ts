import { describe, expect, it } from 'vitest';
import { ANONYMOUS, type Access } from '../src/auth/access.ts';
import { authorize } from '../src/auth/gate.ts';
import {
  allows,
  production,
  readableProductions as readable,
  type ProductionAction,
} from '../src/auth/policy.ts';

const can = (access: Access, productionId: string, action: ProductionAction) =>
  allows(access, action, production(productionId));
const assertCan = (access: Access, productionId: string, action: ProductionAction) =>
  authorize({ access }, action, production(productionId));
import { fromGlobalId, toGlobalId } from '../src/auth/ids.ts';
import { apiKeyPrefix, bearerToken } from '../src/auth/sessions.ts';

const P = '11111111-1111-4111-8111-111111111111';
const Q = '22222222-2222-4222-8222-222222222222';
const as = (role: 'owner' | 'coordinator' | 'editor' | 'vendor'): Access => ({
  userId: 'u',
  admin: false,
  roles: new Map([[P, role]]),
});

describe('access', () => {
  it('grants each role exactly its actions', () => {
    const table = Object.fromEntries(
      (['owner', 'coordinator', 'editor', 'vendor'] as const).map((role) => [
        role,
        (['read', 'export', 'oversee', 'ingest', 'configure', 'administer'] as const).filter((a) =>
          can(as(role), P, a),
        ),
      ]),
    );
    expect(table).toEqual({
      owner: ['read', 'export', 'oversee', 'ingest', 'configure', 'administer'],
      coordinator: ['read', 'export', 'oversee', 'ingest', 'configure'],
      editor: ['read', 'export'],
      vendor: ['read', 'export'],
    });
  });

  it('gives nothing in a production the caller has no role in; an admin everything everywhere', () => {
    expect(can(as('owner'), Q, 'read')).toBe(false);
    expect(can({ userId: 'a', admin: true, roles: new Map() }, Q, 'administer')).toBe(true);
    expect(readable(as('vendor'))).toEqual([P]);
    expect(readable({ userId: 'a', admin: true, roles: new Map() })).toBe('all');
  });

  it('says UNAUTHENTICATED, NOT_FOUND or FORBIDDEN — never which productions exist', () => {
    const code = (fn: () => void) => {
      try {
        fn();
        return 'allowed';
      } catch (error) {
        return (error as { extensions: { code: string } }).extensions.code;
      }
    };
    expect(code(() => assertCan(ANONYMOUS, P, 'read'))).toBe('UNAUTHENTICATED');
    expect(code(() => assertCan(as('vendor'), Q, 'read'))).toBe('NOT_FOUND');
    expect(code(() => assertCan(as('vendor'), P, 'ingest'))).toBe('FORBIDDEN');
    expect(code(() => assertCan(as('coordinator'), P, 'ingest'))).toBe('allowed');
  });
});

describe('global ids', () => {
  it('round-trip, and refuse other types, malformed ids and non-uuids', () => {
    expect(fromGlobalId(toGlobalId('Clip', P))).toEqual({ type: 'Clip', id: P });
    expect(fromGlobalId(toGlobalId('AuditEvent', 42))).toEqual({ type: 'AuditEvent', id: '42' });
    expect(fromGlobalId(toGlobalId('Member', `${P}:${Q}`))).toEqual({ type: 'Member', id: `${P}:${Q}` });
    expect(fromGlobalId(Buffer.from(`Users:${P}`).toString('base64url'))).toBeUndefined();
    expect(fromGlobalId(Buffer.from("Clip:1' or '1'='1").toString('base64url'))).toBeUndefined();
    expect(fromGlobalId('not base64 at all!')).toBeUndefined();
  });
});

describe('bearer tokens', () => {
  it('reads the token of an Authorization header, with or without the scheme', () => {
    expect(bearerToken('Bearer rs_key_abc')).toBe('rs_key_abc');
    expect(bearerToken('bearer   rs_key_abc ')).toBe('rs_key_abc');
    expect(bearerToken('rs_session_x')).toBe('rs_session_x');
    expect(bearerToken('Bearer two words')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('looks API keys up by their first 8 random characters', () => {
    expect(apiKeyPrefix('rs_key_ABCDEFGHijklmnop')).toBe('rs_key_ABCDEFGH');
  });
});
