/** The api's CORS settings: an allow-list by default, `*` only on localhost or when meant. */
import { describe, expect, it } from 'vitest';
import { loadApiSettings } from '../src/config.ts';
import {
  allowedOrigins,
  corsProblems,
  isLoopbackUrl,
  LOCAL_WEB_ORIGINS,
  parseCorsOrigins,
} from '../src/cors.ts';

const env = { DATABASE_URL: 'postgres://127.0.0.1/rushes', STORAGE_SIGNING_SECRET: 'x'.repeat(32) };

describe('CORS settings', () => {
  it('reads * or a list of origins, normalized as browsers send them, and names a bad entry', () => {
    expect(parseCorsOrigins(' * ')).toBe('*');
    expect(parseCorsOrigins('https://Rushes.Example.com, http://localhost:3000/,https://a.test:443')).toEqual(
      ['https://rushes.example.com', 'http://localhost:3000', 'https://a.test'],
    );
    expect(() => parseCorsOrigins('https://rushes.example.com/app')).toThrow(
      '"https://rushes.example.com/app" is not an origin (expected scheme://host[:port], e.g. https://rushes.example.com)',
    );
    expect(() => parseCorsOrigins('rushes.example.com')).toThrow('"rushes.example.com" is not an origin');
    expect(() => parseCorsOrigins('ftp://files.example.com')).toThrow(
      '"ftp://files.example.com" is not an origin',
    );
    expect(() => parseCorsOrigins('https://a.test,*')).toThrow('* cannot be combined with other origins');
    expect(() => parseCorsOrigins(' , ')).toThrow('expected * or a comma-separated list of origins');
  });

  it('knows localhost from a public address', () => {
    expect(
      ['http://localhost:4000', 'http://127.0.0.1:4000', 'http://[::1]:4000', 'http://api.localhost'].map(
        isLoopbackUrl,
      ),
    ).toEqual([true, true, true, true]);
    expect(
      ['https://api.example.com', 'http://10.0.0.5:4000', 'http://localhost.example.com'].map(isLoopbackUrl),
    ).toEqual([false, false, false]);
  });

  it('defaults to the web app on localhost; off localhost an allow-list is required and * must be meant', () => {
    const local = { CORS_ALLOW_ANY_ORIGIN: false, PUBLIC_API_URL: 'http://localhost:4000' };
    const remote = { CORS_ALLOW_ANY_ORIGIN: false, PUBLIC_API_URL: 'https://api.example.com' };
    expect(allowedOrigins({})).toEqual(LOCAL_WEB_ORIGINS);
    expect(corsProblems(local)).toEqual([]);
    expect(corsProblems({ ...local, CORS_ORIGINS: '*' })).toEqual([]);
    expect(corsProblems(remote)).toEqual([
      'CORS_ORIGINS is required when PUBLIC_API_URL (https://api.example.com) is not on localhost: the web app’s origin(s), e.g. CORS_ORIGINS=https://rushes.example.com',
    ]);
    expect(corsProblems({ ...remote, CORS_ORIGINS: '*' })[0]).toMatch(
      /^CORS_ORIGINS=\* lets every web site’s pages call the api .* set CORS_ALLOW_ANY_ORIGIN=true to mean it$/,
    );
    expect(corsProblems({ ...remote, CORS_ORIGINS: '*', CORS_ALLOW_ANY_ORIGIN: true })).toEqual([]);
    expect(corsProblems({ ...remote, CORS_ORIGINS: ['https://rushes.example.com'] })).toEqual([]);
  });

  it('the api refuses to start on such settings, naming the variable', () => {
    expect(() => loadApiSettings({ ...env, PUBLIC_API_URL: 'https://api.example.com' })).toThrow(
      /rushes api: invalid settings\n {2}- CORS_ORIGINS is required when PUBLIC_API_URL/,
    );
    expect(() =>
      loadApiSettings({ ...env, PUBLIC_API_URL: 'https://api.example.com', CORS_ORIGINS: '*' }),
    ).toThrow(/CORS_ALLOW_ANY_ORIGIN=true/);
    expect(() => loadApiSettings({ ...env, CORS_ORIGINS: 'rushes.example.com' })).toThrow(
      /CORS_ORIGINS="rushes.example.com": "rushes.example.com" is not an origin/,
    );
    expect(() => loadApiSettings({ ...env, CORS_ALLOW_ANY_ORIGIN: 'maybe' })).toThrow(
      /CORS_ALLOW_ANY_ORIGIN="maybe": expected true or false/,
    );
    const settings = loadApiSettings({
      ...env,
      PUBLIC_API_URL: 'https://api.example.com',
      CORS_ORIGINS: '*',
      CORS_ALLOW_ANY_ORIGIN: 'true',
    });
    expect(allowedOrigins(settings)).toBe('*');
    expect(allowedOrigins(loadApiSettings(env))).toEqual(LOCAL_WEB_ORIGINS);
  });
});
