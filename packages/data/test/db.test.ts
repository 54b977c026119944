import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../src/db.ts';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ['PostgreSQL shutting down (57P03)', withCode('the database system is shutting down', '57P03')],
    ['PostgreSQL starting up (57P03)', withCode('the database system is starting up', '57P03')],
    [
      'a connection ended by a shutdown (57P01)',
      withCode('terminating connection due to administrator command', '57P01'),
    ],
    [
      'a crash shutdown (57P02)',
      withCode('terminating connection because of crash of another server process', '57P02'),
    ],
    ['a connection exception (class 08)', withCode('connection failure', '08006')],
    ['a connection cut while in use', new Error('Connection terminated unexpectedly')],
    [
      'a client whose connection was lost',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
  ])('says yes for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a wrong password (28P01)', withCode('password authentication failed for user "rushes"', '28P01')],
    ['a missing database (3D000)', withCode('database "nope" does not exist', '3D000')],
    ['a syntax error (42601)', withCode('syntax error at or near "selec"', '42601')],
    ['a unique violation (23505)', withCode('duplicate key value violates unique constraint', '23505')],
    ['an error without a code', new Error('something else')],
    ['a thrown string', 'ECONNREFUSED'],
  ])('says no for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
