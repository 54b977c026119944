import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { databaseUrl, httpUrl, parseSettings, port, positiveInt, SettingsError } from '../src/settings.ts';

const shape = {
  DATABASE_URL: databaseUrl(),
  PORT: port(4000),
  WORKERS: positiveInt(2),
  API: httpUrl('http://localhost:4000/graphql'),
  NAME: z.string().optional(),
};

function problems(env: Record<string, string>): readonly string[] {
  try {
    parseSettings('test', shape, env);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseSettings', () => {
  it('applies defaults and converts numbers', () => {
    expect(parseSettings('test', shape, { DATABASE_URL: 'postgres://h/db' })).toEqual({
      DATABASE_URL: 'postgres://h/db',
      PORT: 4000,
      WORKERS: 2,
      API: 'http://localhost:4000/graphql',
    });
  });

  it('treats an empty or blank value as unset', () => {
    expect(parseSettings('test', shape, { DATABASE_URL: 'postgres://h/db', PORT: ' ' }).PORT).toBe(4000);
  });

  it('names a malformed port and shows the value given', () => {
    expect(problems({ DATABASE_URL: 'postgres://h/db', PORT: 'abc' })).toEqual([
      'PORT="abc": expected a port number (an integer from 1 to 65535)',
    ]);
  });

  it('refuses ports out of range', () => {
    expect(problems({ DATABASE_URL: 'postgres://h/db', PORT: '70000' })).toEqual([
      'PORT="70000": port must be ≤ 65535',
    ]);
    expect(problems({ DATABASE_URL: 'postgres://h/db', PORT: '0' })).toEqual(['PORT="0": port must be ≥ 1']);
  });

  it('reports a missing required variable and every other problem at once', () => {
    expect(problems({ WORKERS: '-1', API: 'ftp://x' })).toEqual([
      'DATABASE_URL is required but not set',
      'WORKERS="-1": expected a positive integer',
      'API="ftp://x": expected an http:// or https:// URL',
    ]);
  });

  it('refuses a database URL that is not postgres://', () => {
    expect(problems({ DATABASE_URL: 'mysql://h/db' })).toEqual([
      'DATABASE_URL="mysql://h/db": expected a postgres:// or postgresql:// URL',
    ]);
  });

  it('starts its message with the app name, one problem per line', () => {
    expect(() => parseSettings('rushes api', shape, { PORT: 'x' })).toThrow(
      /^rushes api: invalid settings\n {2}- DATABASE_URL is required but not set\n {2}- PORT="x"/,
    );
  });
});
