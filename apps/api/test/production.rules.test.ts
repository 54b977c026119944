import { describe, expect, it } from 'vitest';
import { checkNewProduction } from '../src/modules/production/production.rules.ts';

describe('checkNewProduction', () => {
  it('trims and collapses the name and upper-cases the code', () => {
    expect(checkNewProduction({ name: '  The   Long Night ', code: ' tln_2 ' })).toEqual({
      ok: true,
      value: { name: 'The Long Night', code: 'TLN_2' },
    });
  });

  it.each([
    ['', 'AB', 'name', 'A production needs a name.'],
    ['x'.repeat(201), 'AB', 'name', 'The name is 201 characters long; the limit is 200.'],
    ['Film', 'A', 'code', '"A" is not a valid code'],
    ['Film', 'ABCDEFGHIJKLMNOPQ', 'code', 'is not a valid code'],
    ['Film', '-AB', 'code', 'is not a valid code'],
    ['Film', 'A B', 'code', 'is not a valid code'],
    ['Film', '../etc', 'code', 'is not a valid code'],
  ])('refuses name %j / code %j on field %s', (name, code, field, message) => {
    const result = checkNewProduction({ name, code });
    expect(result).toMatchObject({ ok: false, field });
    expect(result.ok ? '' : result.message).toContain(message);
  });
});
