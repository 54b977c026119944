/**
 * Uploads into rolls (the api's upload protocol: one store multipart upload per file). Here only
 * what the worker's sweep needs; the api's upload module owns the rest of their life.
 */
import { uploads } from '@rushes/schema/tables';
import { and, eq, lt } from 'drizzle-orm';
import type { Database } from './db.ts';

export interface AbandonedUpload {
  id: string;
  objectKey: string;
  storeUploadId: string;
}

/** Uploads still open (parts never assembled) that began before `before`. */
export async function abandonedUploads(db: Database, before: Date, limit = 500): Promise<AbandonedUpload[]> {
  return db
    .select({ id: uploads.id, objectKey: uploads.objectKey, storeUploadId: uploads.storeUploadId })
    .from(uploads)
    .where(and(eq(uploads.state, 'open'), lt(uploads.updatedAt, before)))
    .limit(limit);
}

/**
 * Forgets an upload whose store upload was aborted, if it is still open and unchanged: an upload
 * resumed after its sweep starts over (beginUpload finds no row).
 */
export async function forgetUpload(db: Database, upload: AbandonedUpload): Promise<boolean> {
  const gone = await db
    .delete(uploads)
    .where(
      and(
        eq(uploads.id, upload.id),
        eq(uploads.state, 'open'),
        eq(uploads.storeUploadId, upload.storeUploadId),
      ),
    )
    .returning({ id: uploads.id });
  return gone.length > 0;
}
