/** Pure rules for uploads: card paths (what they may hold, how long they may be) and part sizes. */
import { assertValidKey, InvalidKeyError } from '@rushes/storage';
import { badInput } from '../../graphql/errors.ts';

/** S3's limits: parts of 5 MiB–5 GiB, at most 10,000 of them. */
export const MIN_PART = 8 * 1024 * 1024;
export const MAX_PARTS = 10_000;
export const MAX_FILE = 5 * 1024 ** 4;

/** Pure: the part size for a file: 8 MiB, or larger so the file fits in 10,000 parts. */
export function partSizeFor(size: number): number {
  const MiB = 1024 * 1024;
  return Math.max(MIN_PART, Math.ceil(size / MAX_PARTS / MiB) * MiB);
}

export function partCount(size: number, partSize: number): number {
  return Math.max(1, Math.ceil(size / partSize));
}

/** The longest file or folder name, in UTF-8 bytes: NAME_MAX of ext4, XFS and APFS. */
export const MAX_NAME_BYTES = 255;

/**
 * The longest card path, in UTF-8 bytes. A card path ends up in object keys behind
 * `productions/<uuid>/rolls/<uuid>/original/` (101 characters), and the store takes keys of at
 * most 1,024 (S3's limit, checked for every driver): 900 leaves room for that prefix.
 */
export const MAX_CARD_PATH_BYTES = 900;

/** Pure: the first `max` characters of a long name, for a message. */
function shown(text: string, max = 40): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}

/**
 * Pure: BAD_USER_INPUT when a card path, or one of its names, is longer than the store can hold,
 * so a file is refused before any of it is sent instead of failing when it is assembled.
 */
function checkPathLength(path: string, fileName: string): void {
  const bytes = Buffer.byteLength(path, 'utf8');
  if (bytes > MAX_CARD_PATH_BYTES) {
    throw badInput(
      `"${shown(fileName)}" is too long: ${bytes} bytes, and a path on a card may be at most ${MAX_CARD_PATH_BYTES} bytes (UTF-8).`,
      'fileName',
    );
  }
  for (const segment of path.split('/')) {
    const length = Buffer.byteLength(segment, 'utf8');
    if (length > MAX_NAME_BYTES) {
      throw badInput(
        `"${shown(segment)}" is too long a name: ${length} bytes, and a file or folder name may be at most ${MAX_NAME_BYTES} bytes (UTF-8).`,
        'fileName',
      );
    }
  }
}

/**
 * A card-relative path (`/`-separated, NFC); BAD_USER_INPUT for anything that could escape, and
 * for a path or a name longer than MAX_CARD_PATH_BYTES / MAX_NAME_BYTES.
 */
export function checkCardPath(fileName: string): string {
  const path = fileName.normalize('NFC').replace(/^\/+/, '');
  checkPathLength(path, fileName);
  try {
    assertValidKey(path);
  } catch (error) {
    if (error instanceof InvalidKeyError) {
      throw badInput(
        `"${fileName}" is not a file path on a card: ${error.message.replace(/^invalid object key "[^"]*": /, '')}.`,
        'fileName',
      );
    }
    throw error;
  }
  if (path.split('/').some((segment) => segment.startsWith('.'))) {
    throw badInput(
      `"${fileName}" is a hidden file (such as .DS_Store); it is not part of the card, leave it out.`,
      'fileName',
    );
  }
  return path;
}

export function checkSize(size: number): number {
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_FILE) {
    throw badInput(`size must be a whole number of bytes between 1 and ${MAX_FILE}; got ${size}.`, 'size');
  }
  return size;
}
