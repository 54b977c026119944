/** Pure rules for productions, unit-tested without a database. */

export interface NewProduction {
  name: string;
  code: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

const CODE = /^[A-Z0-9][A-Z0-9_-]{1,15}$/;

/** Trims and upper-cases; explains the first problem found. */
export function checkNewProduction(input: NewProduction): Checked<NewProduction> {
  const name = input.name.trim().replace(/\s+/g, ' ');
  const code = input.code.trim().toUpperCase();
  if (name.length === 0) return { ok: false, field: 'name', message: 'A production needs a name.' };
  if (name.length > 200) {
    return {
      ok: false,
      field: 'name',
      message: `The name is ${name.length} characters long; the limit is 200.`,
    };
  }
  if (!CODE.test(code)) {
    return {
      ok: false,
      field: 'code',
      message: `"${input.code}" is not a valid code: use 2–16 letters, digits, "-" or "_", starting with a letter or digit.`,
    };
  }
  return { ok: true, value: { name, code } };
}
