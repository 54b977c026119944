/**
 * jsonb documents at the boundary: parsed by their zod schema where they are read (a row that
 * does not match is an error naming the row, never a silently wrong type), and checked by the
 * same schema where they are written.
 */
import { HASH_ALGORITHMS, type ManifestEntry } from '@rushes/engine';
import { normalizedClipMetadata, type NormalizedClipMetadata } from '@rushes/schema/metadata';
import { z } from 'zod';

/** A stored document that does not match its schema. */
export class DocumentError extends Error {
  override name = 'DocumentError';
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new DocumentError(`${what} is not valid: ${z.prettifyError(result.error)}`);
  return result.data;
}

/** `clips.metadata` of a probed clip. */
export function readClipMetadata(value: unknown, clipId: string): NormalizedClipMetadata {
  if (value === null || value === undefined)
    throw new DocumentError(`clip ${clipId} has not been probed yet`);
  return parse(normalizedClipMetadata, value, `the metadata of clip ${clipId}`);
}

/** One file as a card's manifest describes it (`manifests.entries`): engine's ManifestEntry. */
export const manifestEntry = z.object({
  path: z.string(),
  size: z.number().int().nonnegative().optional(),
  lastModified: z.string().optional(),
  hashes: z.array(
    z.object({
      algorithm: z.enum(HASH_ALGORITHMS),
      value: z.string(),
      action: z.enum(['original', 'verified', 'failed']).optional(),
      hashDate: z.string().optional(),
    }),
  ),
});
const manifestEntries = z.array(manifestEntry);

/** Compile-time: the schema's type is the engine's, in both directions. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameShape: Same<z.infer<typeof manifestEntry>, ManifestEntry> = true;
void sameShape;

/** `manifests.entries` of one manifest row. */
export function readManifestEntries(value: unknown, manifestPath: string): ManifestEntry[] {
  return parse(manifestEntries, value, `the entries of manifest ${manifestPath}`);
}

/** `manifests.entries` to write: checked by the schema the readers use. */
export function manifestEntriesDocument(entries: readonly ManifestEntry[]): z.infer<typeof manifestEntries> {
  return parse(manifestEntries, entries, 'a manifest');
}
