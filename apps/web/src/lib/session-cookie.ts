/**
 * The web session: the api's session token in an HttpOnly cookie, set and cleared by the web
 * server's `/session/…` routes (src/server/gateway.ts). No script can read it; the web server
 * turns it into the api's `Authorization: Bearer` header, for the browser's `/graphql` requests
 * and sockets and for the server-rendered first paint.
 */
import { stringifySetCookie } from 'cookie';

export const SESSION_COOKIE = 'rushes_session';

/** The api's sessions last 30 days; the cookie as long. */
export const SESSION_SECONDS = 30 * 24 * 3600;

/**
 * Pure: the Set-Cookie header that keeps `token`, or forgets it when null. `secure` when the page
 * is served over HTTPS. SameSite=Lax: a link from elsewhere (an invitation, a roll sent in a chat)
 * opens signed in, while no other site's request can change anything (README, "Sessions").
 */
export function sessionCookie(token: string | null, secure: boolean): string {
  return stringifySetCookie({
    name: SESSION_COOKIE,
    value: token ?? '',
    maxAge: token === null ? 0 : SESSION_SECONDS,
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
  });
}
