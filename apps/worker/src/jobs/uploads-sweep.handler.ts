/**
 * uploads.sweep: multipart uploads nobody finished. The store keeps an unfinished multipart
 * upload's parts until it is aborted; a roll upload abandoned mid-card (a laptop closed, a card
 * given up) would hold them for ever.
 */
import { abandonedUploads, forgetUpload } from '@rushes/data/uploads';
import type { JobHandler } from './handler.ts';

export const uploadsSweep: JobHandler<'uploads.sweep'> = async ({ olderThanHours }, deps) => {
  const before = new Date(Date.now() - olderThanHours * 3_600_000);
  let aborted = 0;
  for (const upload of await abandonedUploads(deps.db, before)) {
    // Aborting an upload the store no longer knows is not an error (it may have expired there).
    await deps.store
      .abortMultipart(upload.objectKey, upload.storeUploadId)
      .catch((error: unknown) =>
        deps.log.warn({ err: error, uploadId: upload.id }, 'the store did not abort an abandoned upload'),
      );
    if (await forgetUpload(deps.db, upload)) aborted += 1;
  }
  if (aborted > 0) deps.log.info({ aborted, olderThanHours }, 'aborted abandoned uploads');
};
