/** Pure checks of roll input. */
import { badInput } from '../../graphql/errors.ts';

/** Trimmed roll name; BAD_USER_INPUT when it cannot be a path segment. */
export function checkRollName(name: string): string {
  const trimmed = name.trim();
  if (!/^[\w.-]{1,64}$/.test(trimmed) || /^\.+$/.test(trimmed)) {
    throw badInput(`"${name}" is not a valid roll name: use 1–64 letters, digits, ".", "_" or "-".`, 'name');
  }
  return trimmed;
}

/** A shoot day as YYYY-MM-DD (a real calendar date), or null; BAD_USER_INPUT otherwise. */
export function checkShootDay(day: string | null | undefined): string | null {
  if (day == null || day.trim() === '') return null;
  const trimmed = day.trim();
  const parsed = new Date(`${trimmed}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(trimmed) ||
    Number.isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== trimmed
  ) {
    throw badInput(`"${day}" is not a shoot day: use YYYY-MM-DD, e.g. 2026-11-20.`, 'shootDay');
  }
  return trimmed;
}
