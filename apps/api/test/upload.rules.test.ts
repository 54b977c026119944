import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkCardPath, MAX_CARD_PATH_BYTES, MAX_NAME_BYTES } from '../src/modules/upload/upload.rules.ts';

function refusal(run: () => unknown): GraphQLError {
  try {
    run();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('card path lengths', () => {
  it('takes a name of exactly 255 bytes and a path of exactly 900', () => {
    const name = `${'a'.repeat(MAX_NAME_BYTES - 4)}.mov`;
    expect(checkCardPath(name)).toBe(name);
    const folders = Array.from({ length: 4 }, (_, i) => `${i}${'b'.repeat(199)}`).join('/');
    const path = `${folders}/${'c'.repeat(MAX_CARD_PATH_BYTES - folders.length - 5)}.mov`;
    expect(Buffer.byteLength(path)).toBe(900);
    expect(checkCardPath(path)).toBe(path);
  });

  it('refuses a 300-character file name with BAD_USER_INPUT naming the 255-byte limit', () => {
    const error = refusal(() => checkCardPath(`CLIPS/${'A'.repeat(296)}.mov`));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'fileName' });
    expect(error.message).toBe(
      `"${'A'.repeat(40)}…" is too long a name: 300 bytes, and a file or folder name may be at most 255 bytes (UTF-8).`,
    );
  });

  it('counts bytes, not characters: 100 × "é" is 200 bytes, 86 × "🎬" is 344', () => {
    expect(checkCardPath('é'.repeat(100))).toBe('é'.repeat(100));
    // Decomposed input is composed first (NFC): e + U+0301 is 3 bytes, é is 2.
    expect(checkCardPath('e\u0301'.repeat(120))).toBe('é'.repeat(120));
    const error = refusal(() => checkCardPath('🎬'.repeat(86)));
    expect(error.message).toContain('344 bytes, and a file or folder name may be at most 255 bytes');
    // The name in the message is cut between characters, never inside one.
    expect(error.message.startsWith(`"${'🎬'.repeat(40)}…"`)).toBe(true);
  });

  it('refuses a path longer than 900 bytes even when every name fits, naming the limit', () => {
    const path = Array.from({ length: 8 }, (_, i) => `${i}${'d'.repeat(119)}`).join('/');
    const error = refusal(() => checkCardPath(path));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'fileName' });
    expect(error.message).toContain(`is too long: 967 bytes, and a path on a card may be at most 900 bytes`);
  });

  it('measures the path without the leading slashes it drops', () => {
    const name = `${'e'.repeat(MAX_NAME_BYTES - 4)}.mov`;
    expect(checkCardPath(`///${name}`)).toBe(name);
  });
});
