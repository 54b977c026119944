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

/** An absolute folder path or an s3:// URL; BAD_USER_INPUT otherwise. */
export function checkLocation(location: string): string {
  const trimmed = location.trim();
  if (/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(trimmed)) return trimmed;
  if (trimmed.startsWith('/') && !trimmed.split('/').includes('..') && !/[\0\r\n]/.test(trimmed))
    return trimmed;
  throw badInput(
    `"${location}" is not a location the workers can import: give an absolute folder path or s3://bucket/prefix.`,
    'location',
  );
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
