/** Bearer tokens → access: one query, for a session token or an API key (server.ts keeps answers while they hold). */
import { hashSecret } from '@rushes/schema/credentials';
import type pg from 'pg';
import { ANONYMOUS, type Access, type Role } from './access.ts';

export const SESSION_PREFIX = 'rs_session';
export const API_KEY_PREFIX = 'rs_key';
/** Sessions last 30 days from sign-in. */
export const SESSION_DAYS = 30;

/** Pure: the token of an `Authorization: Bearer …` header (or of a bare token). */
export function bearerToken(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const match = /^\s*(?:Bearer\s+)?(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Pure: the public prefix an API key is looked up by (`rs_key_` + 8 characters). */
export function apiKeyPrefix(secret: string): string {
  return secret.slice(0, API_KEY_PREFIX.length + 9);
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

/**
 * The caller's access. No token: anonymous. A token that does not match a live session or key
 * throws InvalidTokenError (the caller meant to sign in; silently treating them as anonymous
 * would turn an expired session into confusing NOT_FOUNDs).
 */
export async function accessFor(pool: pg.Pool, token: string | undefined): Promise<Access> {
  return (await lookUpAccess(pool, token)).access;
}

/** A token's access and when it ends (ms since the epoch; Infinity for no token or a key without expiry). */
export interface TokenAccess {
  access: Access;
  until: number;
}

/** accessFor, with the end of the session or key (a cache of it must not outlive it). */
export async function lookUpAccess(pool: pg.Pool, token: string | undefined): Promise<TokenAccess> {
  if (!token) return { access: ANONYMOUS, until: Infinity };
  const hash = hashSecret(token);
  if (token.startsWith(`${SESSION_PREFIX}_`)) {
    const { rows } = await pool.query<{
      id: string;
      is_admin: boolean;
      roles: [string, Role][];
      expires_at: Date;
    }>(
      `select u.id, u.is_admin, s.expires_at,
              coalesce(json_agg(json_build_array(m.production_id, m.role))
                       filter (where m.user_id is not null), '[]') as roles
         from sessions s
         join users u on u.id = s.user_id and u.disabled_at is null
         left join production_members m on m.user_id = u.id
        where s.token_hash = $1 and s.expires_at > now()
        group by u.id, s.expires_at`,
      [hash],
    );
    const row = rows[0];
    if (!row) throw new InvalidTokenError('This session has expired or was signed out; sign in again.');
    return {
      access: { userId: row.id, admin: row.is_admin, roles: new Map(row.roles) },
      until: row.expires_at.getTime(),
    };
  }
  if (token.startsWith(`${API_KEY_PREFIX}_`)) {
    const { rows } = await pool.query<{
      id: string;
      role: Role;
      production_ids: string[];
      stale: boolean;
      expires_at: Date | null;
    }>(
      `select id, role, production_ids, expires_at,
              coalesce(last_used_at < now() - interval '1 minute', true) as stale
         from api_keys
        where prefix = $1 and secret_hash = $2 and revoked_at is null
          and (expires_at is null or expires_at > now())`,
      [apiKeyPrefix(token), hash],
    );
    const row = rows[0];
    if (!row) throw new InvalidTokenError('This API key is unknown, revoked or expired.');
    // "Last used" to the minute, without a write on every request.
    if (row.stale)
      void pool.query('update api_keys set last_used_at = now() where id = $1', [row.id]).catch(() => {});
    return {
      access: {
        apiKeyId: row.id,
        admin: false,
        roles: new Map(row.production_ids.map((id) => [id, row.role])),
      },
      until: row.expires_at?.getTime() ?? Infinity,
    };
  }
  throw new InvalidTokenError('The bearer token is neither a session token nor an API key.');
}
