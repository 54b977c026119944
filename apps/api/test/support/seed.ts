/**
 * Rows as the worker leaves them after verify, probe and render — written straight into the
 * real database, so api tests need no media run. Objects are put into the real local store.
 */
import type { NormalizedClipMetadata } from '@rushes/schema/metadata';
import { clips, manifests, renditions, rolls, tasks } from '@rushes/schema/tables';
import type { BlobStore } from '@rushes/storage';
import type { Database } from '../../src/db.ts';

export interface SeedClip {
  fileName: string;
  reel: string;
  startTimecode: string;
  /** Start as frames at the clip's rate (as the worker computes it). */
  startFrame: number;
  durationFrames: number;
  fps?: [number, number];
  /** A drop-frame timecode (29.97, 59.94). */
  dropFrame?: boolean;
  camera?: { make: string; model: string; serial: string };
  /** Put a review proxy with these bytes into the store. */
  proxy?: string;
}

const v = <T>(value: T, source: 'container' | 'exiftool' | 'stream' = 'container', detail?: string) => ({
  value,
  source,
  ...(detail ? { detail } : {}),
});

export function metadataFor(clip: SeedClip): NormalizedClipMetadata {
  const [num, den] = clip.fps ?? [24000, 1001];
  return {
    identity: { clipName: v(clip.fileName.replace(/\.[^.]+$/, '')), reel: v(clip.reel) },
    camera: clip.camera
      ? {
          make: v(clip.camera.make, 'exiftool', 'QuickTime:Make'),
          model: v(clip.camera.model, 'exiftool'),
          serial: {
            ...v(clip.camera.serial, 'exiftool', 'ARRI:SerialNumber'),
            conflicts: [{ value: 'K1.0000000', source: 'filename' }],
          },
        }
      : {},
    lens: { model: v('Signature Prime 35', 'exiftool') },
    exposure: { exposureIndex: v(800, 'exiftool'), shutterAngleDeg: v(172.8, 'exiftool') },
    picture: {
      width: v(1920),
      height: v(1080),
      frameRate: { value: { num, den }, source: 'stream' },
      codec: v('prores'),
    },
    color: { acesInputTransform: v('arri_logc3_awg3', 'exiftool') },
    time: {
      startTimecode: v(clip.startTimecode, 'stream'),
      durationFrames: v(clip.durationFrames),
      ...(clip.dropFrame !== undefined ? { dropFrame: v(clip.dropFrame, 'stream') } : {}),
    },
    audio: { channels: v(2) },
    file: { container: v('mov') },
  };
}

export async function seedRoll(
  db: Database,
  store: BlobStore,
  productionId: string,
  name: string,
  seeds: SeedClip[],
) {
  const [roll] = await db
    .insert(rolls)
    .values({ productionId, name, state: 'ready', shootDay: '2026-11-20' })
    .returning();
  await db.insert(manifests).values({
    rollId: roll!.id,
    format: 'ascmhl-v2',
    path: 'ascmhl/0001_A001_2026-11-20_120000Z.mhl',
    entries: seeds.map((s) => ({ path: s.fileName, hashes: { xxh64: 'ab12' } })),
  });
  const created = [];
  for (const seed of seeds) {
    const metadata = metadataFor(seed);
    const [num, den] = seed.fps ?? [24000, 1001];
    const [clip] = await db
      .insert(clips)
      .values({
        rollId: roll!.id,
        productionId,
        fileName: seed.fileName,
        originalPath: `Clips/${seed.fileName}`,
        objectKey: `productions/${productionId}/rolls/${roll!.id}/original/Clips/${seed.fileName}`,
        sizeBytes: 1000,
        checksums: { xxh64: '0123456789abcdef' },
        state: 'ready',
        camera: seed.camera ? `${seed.camera.make} ${seed.camera.model}` : null,
        reel: seed.reel,
        startTimecode: seed.startTimecode,
        startFrame: seed.startFrame,
        durationFrames: seed.durationFrames,
        fpsNum: num,
        fpsDen: den,
        width: 1920,
        height: 1080,
        codec: 'prores',
        colorSpace: 'arri_logc3_awg3',
        recordedAt: new Date('2026-11-20T14:00:00Z'),
        metadata: metadata as unknown as Record<string, unknown>,
      })
      .returning();
    for (const kind of ['verify', 'probe', 'review']) {
      await db.insert(tasks).values({ clipId: clip!.id, kind, state: 'succeeded', progress: 1, attempt: 1 });
    }
    const base = `renditions/${clip!.id}/identity`;
    await db.insert(renditions).values([
      {
        clipId: clip!.id,
        kind: 'thumbnail',
        name: 'thumbnail',
        objectKey: `${base}/thumbnail.jpg`,
        state: 'ready',
        width: 320,
        height: 180,
      },
      ...(seed.proxy !== undefined
        ? [
            {
              clipId: clip!.id,
              kind: 'proxy' as const,
              name: 'proxy:review',
              objectKey: `${base}/review.mp4`,
              state: 'ready' as const,
              codec: 'h264',
              sizeBytes: seed.proxy.length,
            },
          ]
        : []),
    ]);
    if (seed.proxy !== undefined) await store.put(`${base}/review.mp4`, Buffer.from(seed.proxy));
    created.push(clip!);
  }
  return { roll: roll!, clips: created };
}
