/** Pure rules for uploads: card paths and part sizes. */
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

/** A card-relative path (`/`-separated, NFC); BAD_USER_INPUT for anything that could escape. */
export function checkCardPath(fileName: string): string {
  const path = fileName.normalize('NFC').replace(/^\/+/, '');
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
