/**
 * Uploading a card through the api: beginUpload per file (signed part URLs; S3 presigned or
 * the api's own /blobs for the local store) → PUT the parts → finishUpload per file →
 * completeUpload for the roll, which queues its import like importRoll. Calling beginUpload
 * again for the same file resumes its upload with fresh URLs.
 */
import { auditEvents, rolls, uploads } from '@rushes/schema/tables';
import { and, eq, ne } from 'drizzle-orm';
import { Arg, Ctx, Float, ID, Mutation, Resolver } from 'type-graphql';
import { authorize, Gate } from '../../auth/gate.ts';
import { production, SELF } from '../../auth/policy.ts';
import type { Context } from '../../context.ts';
import { badInput, conflict, conflictBecause } from '../../graphql/errors.ts';
import { auditRow, withTransaction } from '../../transaction.ts';
import { rollFor } from '../roll/roll.resolver.ts';
import { Roll, toRoll } from '../roll/roll.type.ts';
import { checkCardPath, checkSize, partCount, partSizeFor } from './upload.rules.ts';
import { UploadedPartInput, UploadTarget } from './upload.type.ts';

const URL_SECONDS = 6 * 60 * 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

@Resolver()
export class UploadResolver {
  @Mutation(() => UploadTarget, {
    description: 'Starts (or resumes) uploading one file of a card into a roll.',
  })
  @Gate({ action: 'ingest', from: 'arguments' })
  async beginUpload(
    @Arg('rollId', () => ID) rollId: string,
    @Arg('fileName', () => String, {
      description: 'Path on the card, e.g. A001C003_250101_R1AB.mov or CLIPS/A001.mxf.',
    })
    fileName: string,
    @Arg('size', () => Float) sizeInput: number,
    @Ctx() ctx: Context,
  ): Promise<UploadTarget> {
    const roll = await rollFor(ctx, rollId, 'ingest');
    const path = checkCardPath(fileName);
    const size = checkSize(sizeInput);
    if (roll.sourceLocation)
      throw conflictBecause(
        'ROLL_ALREADY_IMPORTED',
        `Roll ${roll.name} was already imported; upload into a new roll.`,
      );
    const store = ctx.deps.store;
    const key = `uploads/${roll.dbId}/${path}`;
    const [existing] = await ctx.deps.db
      .select()
      .from(uploads)
      .where(and(eq(uploads.rollId, roll.dbId), eq(uploads.path, path)));
    let upload = existing;
    if (existing && (existing.state !== 'open' || existing.sizeBytes !== size)) {
      if (existing.state !== 'open' && existing.sizeBytes === size) {
        throw conflictBecause('ALREADY_UPLOADED', `${path} is already uploaded.`);
      }
      // A different file under the same name: start over.
      await store.abortMultipart(existing.objectKey, existing.storeUploadId).catch(() => {});
      await ctx.deps.db.delete(uploads).where(eq(uploads.id, existing.id));
      upload = undefined;
    }
    if (!upload) {
      const storeUploadId = await store.beginMultipart(key);
      [upload] = await ctx.deps.db
        .insert(uploads)
        .values({
          rollId: roll.dbId,
          path,
          objectKey: key,
          storeUploadId,
          sizeBytes: size,
          partSizeBytes: partSizeFor(size),
        })
        .returning();
    }
    const { objectKey, storeUploadId, partSizeBytes } = upload!;
    const parts = await Promise.all(
      Array.from({ length: partCount(size, partSizeBytes) }, async (_, i) => ({
        partNumber: i + 1,
        url: await store.signedPartUrl(objectKey, storeUploadId, i + 1, { expiresInSeconds: URL_SECONDS }),
      })),
    );
    return {
      uploadId: upload!.id,
      path,
      size,
      partSize: partSizeBytes,
      parts,
      expiresAt: new Date(Date.now() + URL_SECONDS * 1000),
    };
  }

  @Mutation(() => Float, {
    description: 'Assembles an uploaded file from its parts; returns its size in bytes.',
  })
  @Gate({ action: 'ingest', from: 'arguments' })
  async finishUpload(
    @Arg('uploadId', () => ID) uploadId: string,
    @Arg('parts', () => [UploadedPartInput]) parts: UploadedPartInput[],
    @Ctx() ctx: Context,
  ): Promise<number> {
    const upload = await this.openUpload(ctx, uploadId);
    const expected = partCount(upload.sizeBytes, upload.partSizeBytes);
    const numbers = parts.map((p) => p.partNumber).sort((a, b) => a - b);
    if (numbers.length !== expected || numbers.some((n, i) => n !== i + 1)) {
      throw badInput(
        `${upload.path} has ${expected} parts (1–${expected}); got ${numbers.length} part(s).`,
        'parts',
      );
    }
    let size: number;
    try {
      ({ size } = await ctx.deps.store.completeMultipart(upload.objectKey, upload.storeUploadId, parts));
    } catch (error) {
      ctx.log.warn({ err: error, uploadId: upload.id }, 'could not assemble an upload');
      throw badInput(
        `The store could not assemble ${upload.path}: a part is missing or its ETag does not match. Upload the parts again.`,
        'parts',
      );
    }
    if (size !== upload.sizeBytes) {
      await ctx.deps.store.delete(upload.objectKey);
      await ctx.deps.db.delete(uploads).where(eq(uploads.id, upload.id));
      throw badInput(
        `${upload.path} arrived with ${size} bytes instead of ${upload.sizeBytes}; upload it again.`,
        'parts',
      );
    }
    await ctx.deps.db
      .update(uploads)
      .set({ state: 'uploaded', updatedAt: new Date() })
      .where(eq(uploads.id, upload.id));
    return size;
  }

  @Mutation(() => Roll, {
    description:
      'Every file of the card is uploaded: import the roll (verify, probe, render), as importRoll does.',
  })
  @Gate({ action: 'ingest', from: 'arguments' })
  async completeUpload(@Arg('rollId', () => ID) rollId: string, @Ctx() ctx: Context): Promise<Roll> {
    const roll = await rollFor(ctx, rollId, 'ingest');
    const files = await ctx.deps.db.select().from(uploads).where(eq(uploads.rollId, roll.dbId));
    const open = files.filter((f) => f.state === 'open');
    if (files.length === 0) throw conflict(`Nothing was uploaded into roll ${roll.name}.`);
    if (open.length > 0) {
      throw conflict(
        `${open.length} file(s) are not finished yet, e.g. ${open[0]!.path}; call finishUpload for each first.`,
      );
    }
    const row = await withTransaction(ctx.deps.pool, async (tx, client) => {
      const [row] = await tx
        .update(rolls)
        .set({ sourceLocation: 'upload', updatedAt: new Date() })
        .where(and(eq(rolls.id, roll.dbId), eq(rolls.state, 'pending')))
        .returning();
      if (!row || roll.sourceLocation)
        throw conflictBecause('ROLL_ALREADY_IMPORTED', `Roll ${roll.name} is already being imported.`);
      await tx
        .update(uploads)
        .set({ state: 'ingested', updatedAt: new Date() })
        .where(and(eq(uploads.rollId, roll.dbId), ne(uploads.state, 'ingested')));
      await tx.insert(auditEvents).values(
        auditRow(ctx.access, {
          productionId: roll.productionId,
          action: 'roll.uploaded',
          subjectType: 'roll',
          subjectId: roll.dbId,
          data: { files: files.length, bytes: files.reduce((sum, f) => sum + f.sizeBytes, 0) },
        }),
      );
      await ctx.deps.queue.send(client, 'roll.import', { rollId: roll.dbId, location: 'upload:' });
      return row;
    });
    return toRoll(row);
  }

  private async openUpload(ctx: Context, uploadId: string) {
    authorize(ctx, 'browse', SELF);
    if (!UUID.test(uploadId)) throw badInput(`No upload with id "${uploadId}".`, 'uploadId');
    const [found] = await ctx.deps.db
      .select({ upload: uploads, roll: rolls })
      .from(uploads)
      .innerJoin(rolls, eq(rolls.id, uploads.rollId))
      .where(eq(uploads.id, uploadId));
    if (!found) throw badInput(`No upload with id "${uploadId}".`, 'uploadId');
    authorize(ctx, 'ingest', production(found.roll.productionId, 'upload'));
    if (found.upload.state !== 'open')
      throw conflictBecause('ALREADY_UPLOADED', `${found.upload.path} is already uploaded.`);
    return found.upload;
  }
}
