import { describe, expect, it } from 'vitest';
import { migrationHead, readMigrationHead, schemaProblem, schemaState } from '../src/migrations.ts';

const head = { tag: '0003_sign_in_rate_limits', when: 1_796_290_120_798 };

describe('schema state', () => {
  it('takes the newest journal entry as the head', () => {
    expect(
      migrationHead({
        entries: [
          { idx: 0, when: 10, tag: '0000_init' },
          { idx: 1, when: 30, tag: '0001_b' },
          { idx: 2, when: 20, tag: '0002_c' },
        ],
      }),
    ).toEqual({ tag: '0001_b', when: 30 });
  });

  it('refuses a journal with no migrations, saying so', () => {
    expect(() => migrationHead({ entries: [] })).toThrow(/is not a migration journal: has no migrations/);
  });

  it('reads the committed journal in drizzle/', async () => {
    expect((await readMigrationHead()).tag).toMatch(/^\d{4}_\w+$/);
  });

  it('says current, empty, behind or ahead from the newest applied created_at', () => {
    expect(schemaState(head, head.when)).toEqual({ state: 'current', head });
    expect(schemaState(head, undefined).state).toBe('empty');
    expect(schemaState(head, head.when - 1)).toEqual({ state: 'behind', head, applied: head.when - 1 });
    expect(schemaState(head, head.when + 1).state).toBe('ahead');
  });

  it('explains every state but current in one sentence naming the head', () => {
    expect(schemaProblem(schemaState(head, head.when))).toBeUndefined();
    expect(schemaProblem(schemaState(head, undefined))).toMatch(
      /no migrations applied; run the migrate command/,
    );
    expect(schemaProblem(schemaState(head, 1))).toMatch(
      /older than this build \(head: 0003_sign_in_rate_limits\)/,
    );
    expect(schemaProblem(schemaState(head, head.when + 1))).toMatch(/migrated by a newer build/);
  });
});
