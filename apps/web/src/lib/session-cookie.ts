/**
 * The session token also travels as a cookie, only so the web server can render a signed-in
 * first paint; the api itself is always called with the bearer header.
 */
export const SESSION_COOKIE = 'rushes_session';

/** Pure: the Set-Cookie value (document.cookie form) that keeps `token`, or forgets it when null. */
export function sessionCookie(token: string | null, secure: boolean): string {
  const attributes = ['Path=/', 'SameSite=Strict', ...(secure ? ['Secure'] : [])];
  return token === null
    ? [`${SESSION_COOKIE}=`, 'Max-Age=0', ...attributes].join('; ')
    : [`${SESSION_COOKIE}=${encodeURIComponent(token)}`, `Max-Age=${30 * 24 * 3600}`, ...attributes].join(
        '; ',
      );
}
