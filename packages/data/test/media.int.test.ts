/**
 * The media repositories (clips, rolls, renditions, manifests, productions, import roots) on a
 * real PostgreSQL: the functions with logic — filters, pages, counts, upserts, idempotent writes.
 */
import type { ManifestEntry } from '@rushes/engine';
import { auditEvents, clips, productionMembers, users } from '@rushes/schema/tables';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  clipIdsInRoll,
  clipStateCounts,
  deleteClip,
  explainListClips,
  findClip,
  listClips,
  searchClips,
  storeClip,
  storedFilesOfRoll,
} from '../src/clips.ts';
import { CLIP_SORT_FIELDS, escapeLike, FilterError } from '../src/clip-filter.ts';
import type { Database } from '../src/db.ts';
import { createImportRoot, importRootGrants } from '../src/import-roots.ts';
import { manifestEntriesOfRoll, manifestsOfRolls, recordManifest } from '../src/manifests.ts';
import {
  createProduction,
  listProductions,
  markProductionReady,
  productionByCode,
} from '../src/productions.ts';
import {
  hasReadyRenditions,
  readyRenditionsOfRoll,
  renditionsOfClips,
  storeRenditions,
} from '../src/renditions.ts';
import {
  claimRollForImport,
  createRoll,
  listRolls,
  recordImportProgress,
  rollByName,
  rollIdsInProduction,
  searchRolls,
} from '../src/rolls.ts';
import { newProduction as addProduction, useTestDatabase } from './support.ts';

const database = useTestDatabase();
let db: Database;
beforeAll(() => {
  db = database.db;
});

const newProduction = (code: string) => addProduction(db, code);

type ClipValues = Partial<typeof clips.$inferInsert> & { originalPath: string };

async function addClips(productionId: string, rollId: string, values: ClipValues[]) {
  return db
    .insert(clips)
    .values(
      values.map((v) => ({
        productionId,
        rollId,
        fileName: v.originalPath.split('/').at(-1)!,
        ...v,
      })),
    )
    .returning();
}

const page = (limit: number, after?: string) => ({ limit, after });
const offsetPage = (limit: number, offset = 0) => ({ limit, offset });

describe('clips', () => {
  let productionId: string;
  let rollA: string;
  let rollB: string;
  let walkProduction: string;
  let walkRoll: string;

  beforeAll(async () => {
    walkProduction = (await newProduction('WALK')).id;
    walkRoll = (await createRoll(db, { productionId: walkProduction, name: 'T001' })).id;
    productionId = (await newProduction('CL')).id;
    rollA = (await createRoll(db, { productionId, name: 'A001' })).id;
    rollB = (await createRoll(db, { productionId, name: 'B001' })).id;
    await addClips(productionId, rollA, [
      { originalPath: 'A001C001.mov', reel: 'A001', sizeBytes: 300, state: 'ready' },
      { originalPath: 'A001C002.mov', reel: 'A001', sizeBytes: 100, state: 'failed' },
      { originalPath: 'A001C003_50%.mov', reel: 'A001', state: 'processing' },
    ]);
    await addClips(productionId, rollB, [
      { originalPath: 'B001C001.mov', reel: 'b001', sizeBytes: 200, state: 'ready' },
    ]);
    // Another production's clip never shows up.
    const other = await newProduction('XX');
    const otherRoll = await createRoll(db, { productionId: other.id, name: 'A001' });
    await addClips(other.id, otherRoll.id, [{ originalPath: 'A001C001.mov', reel: 'A001' }]);
  });

  const names = (rows: { originalPath: string }[]) => rows.map((r) => r.originalPath);

  it('lists a page of the production’s clips by name, whether more follow, and counts all that match on demand', async () => {
    const first = await listClips(db, { productionId, page: page(2) });
    expect(names(first.rows)).toEqual(['A001C001.mov', 'A001C002.mov']);
    expect(first.hasMore).toBe(true);
    expect(await first.count()).toEqual({ value: 4, exact: true });
    const second = await listClips(db, { productionId, page: page(2, first.cursors.at(-1)) });
    expect(names(second.rows)).toEqual(['A001C003_50%.mov', 'B001C001.mov']);
    expect(second.hasMore).toBe(false);
    expect(await second.count()).toEqual({ value: 4, exact: true });
  });

  it('walks every sort, both ways, a clip a page, to the same order as one long page — ties and empty values included', async () => {
    // Equal sizes and names (same file name in two rolls), clips without size, reel or date.
    const tied = (await createRoll(db, { productionId: walkProduction, name: 'T002' })).id;
    await addClips(walkProduction, walkRoll, [
      {
        originalPath: 'X/A.mov',
        reel: 'T001',
        sizeBytes: 5,
        durationFrames: 10,
        recordedAt: new Date('2026-11-20T10:00:00.000Z'),
      },
      {
        originalPath: 'X/B.mov',
        reel: 'T001',
        sizeBytes: 5,
        durationFrames: 20,
        recordedAt: new Date('2026-11-20T10:00:00.000Z'),
      },
      { originalPath: 'X/C.mov', sizeBytes: 7, startFrame: 100 },
      { originalPath: 'X/D.mov', reel: 't001', startFrame: 50 },
      { originalPath: 'X/E.mov' },
    ]);
    await addClips(walkProduction, tied, [{ originalPath: 'X/A.mov', reel: 'T002', sizeBytes: 5 }]);
    // created_at keeps microseconds, which a JavaScript Date would lose: the cursor must not.
    await db.execute(
      sql`update clips set created_at = '2026-11-20 10:00:00.000001+00' where production_id = ${walkProduction} and original_path in ('X/A.mov', 'X/C.mov')`,
    );
    for (const field of CLIP_SORT_FIELDS) {
      for (const direction of ['ASC', 'DESC'] as const) {
        const order = { field, direction };
        const whole = await listClips(db, { productionId: walkProduction, order, page: page(100) });
        expect(whole.rows).toHaveLength(6);
        const walked: string[] = [];
        let after: string | undefined;
        for (let i = 0; i < 10; i++) {
          const next = await listClips(db, { productionId: walkProduction, order, page: page(1, after) });
          walked.push(...next.rows.map((r) => r.id));
          if (!next.hasMore) break;
          after = next.cursors[0];
        }
        expect(walked, `${field} ${direction}`).toEqual(whole.rows.map((r) => r.id));
      }
    }
    // Empty values last both ways, ties broken by path then id.
    const bySize = async (direction: 'ASC' | 'DESC') =>
      (
        await listClips(db, {
          productionId: walkProduction,
          order: { field: 'SIZE', direction },
          page: page(10),
        })
      ).rows.map((r) => r.sizeBytes);
    expect(await bySize('ASC')).toEqual([5, 5, 5, 7, null, null]);
    expect(await bySize('DESC')).toEqual([7, 5, 5, 5, null, null]);
  });

  it('refuses a cursor of another sort, and one it never gave out, as a FilterError on after', async () => {
    const { cursors } = await listClips(db, { productionId, page: page(1) });
    await expect(
      listClips(db, { productionId, order: { field: 'SIZE', direction: 'ASC' }, page: page(1, cursors[0]) }),
    ).rejects.toMatchObject({
      constructor: FilterError,
      field: 'after',
      message: expect.stringContaining('NAME ASC order'),
    });
    await expect(listClips(db, { productionId, page: page(1, 'bzo0OQ') })).rejects.toMatchObject({
      constructor: FilterError,
      field: 'after',
    });
  });

  it('counts exactly up to 10,000 matches and estimates above, saying so', async () => {
    const big = (await newProduction('BIG')).id;
    const roll = (await createRoll(db, { productionId: big, name: 'A001' })).id;
    await db.execute(sql`insert into clips (production_id, roll_id, file_name, original_path, reel)
      select ${big}, ${roll}, 'C' || n || '.mov', 'C' || n || '.mov', case when n <= 10000 then 'A001' else 'A002' end
      from generate_series(1, 12000) n`);
    await db.execute(sql`analyze clips`);
    const exact = await listClips(db, { productionId: big, filter: { reel: 'a001' }, page: page(1) });
    expect(await exact.count()).toEqual({ value: 10_000, exact: true });
    const all = await (await listClips(db, { productionId: big, page: page(1) })).count();
    expect(all.exact).toBe(false);
    expect(all.value).toBeGreaterThan(10_800); // 12,000 within 10 %, not the 10,001 rows counted
    expect(all.value).toBeLessThan(13_200);
  });

  it('filters by reel (any case), states, rolls and text, with LIKE wildcards matching themselves', async () => {
    const byReel = await listClips(db, { productionId, filter: { reel: 'B001' }, page: page(10) });
    expect(names(byReel.rows)).toEqual(['B001C001.mov']);
    const byState = await listClips(db, { productionId, filter: { states: ['ready'] }, page: page(10) });
    expect(names(byState.rows)).toEqual(['A001C001.mov', 'B001C001.mov']);
    const byRoll = await listClips(db, { productionId, rollIds: [rollB], page: page(10) });
    expect(byRoll).toMatchObject({ hasMore: false, rows: [{ originalPath: 'B001C001.mov' }] });
    expect(await byRoll.count()).toEqual({ value: 1, exact: true });
    const byText = await listClips(db, { productionId, filter: { text: '50%' }, page: page(10) });
    expect(names(byText.rows)).toEqual(['A001C003_50%.mov']);
    const noRolls = await listClips(db, { productionId, rollIds: [], page: page(10) });
    expect(noRolls).toMatchObject({ rows: [], hasMore: false });
    expect(await noRolls.count()).toEqual({ value: 0, exact: true });
  });

  it('sorts by size descending with unmeasured clips last', async () => {
    const { rows } = await listClips(db, {
      productionId,
      order: { field: 'SIZE', direction: 'DESC' },
      page: page(10),
    });
    expect(rows.map((r) => r.sizeBytes)).toEqual([300, 200, 100, null]);
  });

  it('refuses half a timecode range as a FilterError naming the field', async () => {
    await expect(
      listClips(db, { productionId, filter: { timecodeTo: '01:00:00:00' }, page: page(10) }),
    ).rejects.toMatchObject({ constructor: FilterError, field: 'timecodeFrom' });
  });

  it('counts clips by state and bytes per roll and per production, zeros for none', async () => {
    const empty = (await createRoll(db, { productionId, name: 'C001' })).id;
    const [a, none, b] = await clipStateCounts(db, 'roll', [rollA, empty, rollB]);
    expect(a).toEqual({
      total: 3,
      pending: 0,
      processing: 1,
      ready: 1,
      failed: 1,
      partial: 0,
      sizeBytes: 400,
    });
    expect(none).toEqual({
      total: 0,
      pending: 0,
      processing: 0,
      ready: 0,
      failed: 0,
      partial: 0,
      sizeBytes: 0,
    });
    expect(b).toMatchObject({ total: 1, ready: 1, sizeBytes: 200 });
    const [production] = await clipStateCounts(db, 'production', [productionId]);
    expect(production).toMatchObject({ total: 4, ready: 2, sizeBytes: 600 });
  });

  it('searches names first, then other fields, within the production', async () => {
    await addClips(productionId, rollB, [
      { originalPath: 'B001C009.mov', metadata: { identity: { scene: { value: 'A001 pickup' } } } },
    ]);
    const found = await searchClips(db, productionId, '%A001%', 10);
    expect(names(found)).toEqual(['A001C001.mov', 'A001C002.mov', 'A001C003_50%.mov', 'B001C009.mov']);
    expect((await searchRolls(db, productionId, '%B0%', 10)).map((r) => r.name)).toEqual(['B001']);
  });

  it('searches every field a DIT looks for: codec, timecode, failure code, camera, lens, colour, sound', async () => {
    const search = (production: string, text: string) =>
      searchClips(db, production, `%${escapeLike(text)}%`, 10).then((rows) =>
        rows.map((r) => r.originalPath),
      );
    const p = (await newProduction('SRCH')).id;
    const roll = (await createRoll(db, { productionId: p, name: 'S001' })).id;
    await addClips(p, roll, [
      { originalPath: 'S001C001.mov', codec: 'prores_4444', startTimecode: '14:03:10:00' },
      { originalPath: 'S001C002.mov', errorCode: 'CHECKSUM_MISMATCH' },
      {
        originalPath: 'S001C003.mov',
        metadata: {
          camera: { make: { value: 'ARRI' }, serial: { value: 'K1.0023412' } },
          lens: { model: { value: 'Signature Prime 35' } },
          color: { acesInputTransform: { value: 'arri_logc4_awg4' } },
        },
      },
      {
        originalPath: 'S001_T07.wav',
        metadata: { audio: { take: { value: 'T07' }, note: { value: 'plane overhead' } } },
      },
    ]);
    expect(await search(p, 'ProRes_4444')).toEqual(['S001C001.mov']);
    expect(await search(p, '14:03:10')).toEqual(['S001C001.mov']);
    expect(await search(p, 'checksum_mis')).toEqual(['S001C002.mov']);
    expect(await search(p, 'k1.00234')).toEqual(['S001C003.mov']);
    expect(await search(p, 'signature')).toEqual(['S001C003.mov']);
    expect(await search(p, 'logc4')).toEqual(['S001C003.mov']);
    expect(await search(p, 'plane')).toEqual(['S001_T07.wav']);
  });

  it('tells which ids are clips of a roll', async () => {
    const [inA] = (await listClips(db, { productionId, rollIds: [rollA], page: page(1) })).rows;
    const [inB] = (await listClips(db, { productionId, rollIds: [rollB], page: page(1) })).rows;
    expect(await clipIdsInRoll(db, rollA, [inA!.id, inB!.id])).toEqual([inA!.id]);
    expect(await clipIdsInRoll(db, rollA, [])).toEqual([]);
  });
});

describe('filters read value by value (clip-split.ts)', () => {
  let p: string;
  const lenses = ['Cooke S4/i 32mm', 'Zeiss Supreme 35', 'Cooke S7/i 50mm', null];
  const colours = ['arri_logc4_awg4', 'rec709', 'sony_slog3_sgamut3cine'];
  beforeAll(async () => {
    p = (await newProduction('SPLIT')).id;
    const roll = (await createRoll(db, { productionId: p, name: 'Q001' })).id;
    // Names interleave across lenses, colours and days, so each value's scan must be merged.
    await addClips(
      p,
      roll,
      Array.from({ length: 30 }, (_, i) => ({
        originalPath: `Q001C${String(30 - i).padStart(3, '0')}.mov`,
        colorSpace: colours[i % 3]!,
        recordedAt: new Date(Date.UTC(2026, 9, 20 + (i % 5), 12 + (i % 13), 0, 0)),
        metadata: lenses[i % 4] ? { lens: { model: { value: lenses[i % 4] } } } : {},
      })),
    );
  });

  /** Every page of `limit` through the cursors, as names. */
  async function walk(
    filter: Parameters<typeof listClips>[1]['filter'],
    limit: number,
    direction: 'ASC' | 'DESC' = 'ASC',
  ) {
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 40; i += 1) {
      const found = await listClips(db, {
        productionId: p,
        filter,
        order: { field: 'NAME', direction },
        page: page(limit, after),
      });
      seen.push(...found.rows.map((r) => r.fileName));
      if (!found.hasMore) return seen;
      after = found.cursors.at(-1);
    }
    throw new Error('did not end');
  }

  /** The same filter worked out here, for comparison. */
  async function expected(
    where: (row: { lens: string | null; colour: string; at: Date }) => boolean,
    direction: 'ASC' | 'DESC' = 'ASC',
  ) {
    const rows = await db
      .select({ name: clips.fileName, lens: clips.lensModel, colour: clips.colorSpace, at: clips.recordedAt })
      .from(clips)
      .where(eq(clips.productionId, p));
    const names = rows
      .filter((r) => where({ lens: r.lens, colour: r.colour!, at: r.at! }))
      .map((r) => r.name)
      .sort();
    return direction === 'ASC' ? names : names.reverse();
  }

  it('lens contains: every page in name order, as if read in one scan, both ways', async () => {
    const cooke = (r: { lens: string | null }) => !!r.lens?.toLowerCase().includes('cooke');
    expect((await expected(cooke)).length).toBeGreaterThan(10);
    expect(await walk({ lens: 'cooke' }, 4)).toEqual(await expected(cooke));
    expect(await walk({ lens: 'cooke' }, 4, 'DESC')).toEqual(await expected(cooke, 'DESC'));
    expect(await walk({ lens: 'S4/i' }, 3)).toEqual(await expected((r) => r.lens === 'Cooke S4/i 32mm'));
    expect(await walk({ lens: 'no such lens' }, 4)).toEqual([]);
    // Read as one scan per Cooke lens, merged.
    const plan = JSON.stringify(
      await explainListClips(db, { productionId: p, filter: { lens: 'cooke' }, page: page(4) }),
    );
    expect(plan).toMatch(/"Node Type":"(Merge )?Append"/);
  });

  it('colour name and recorded range, partial first and last days included', async () => {
    expect(await walk({ colorSpace: 'REC709' }, 4)).toEqual(await expected((r) => r.colour === 'rec709'));
    const from = new Date(Date.UTC(2026, 9, 21, 15, 0, 0));
    const to = new Date(Date.UTC(2026, 9, 23, 14, 0, 0));
    const inRange = (r: { at: Date }) => r.at >= from && r.at <= to;
    expect((await expected(inRange)).length).toBeGreaterThan(5);
    expect(await walk({ recordedFrom: from, recordedTo: to }, 4)).toEqual(await expected(inRange));
    expect(await walk({ recordedFrom: from }, 5)).toEqual(await expected((r) => r.at >= from));
    // Two split filters at once: the first splits, the other still filters.
    expect(await walk({ lens: 'cooke', colorSpace: 'rec709' }, 2)).toEqual(
      await expected((r) => !!r.lens?.includes('Cooke') && r.colour === 'rec709'),
    );
  });
});

describe('storing a card’s files', () => {
  it('stores a file as a processing clip, and a changed one again under the same id with its checksums reset', async () => {
    const productionId = (await newProduction('ST')).id;
    const rollId = (await createRoll(db, { productionId, name: 'A001' })).id;
    const file = {
      rollId,
      productionId,
      fileName: 'A001C001.mov',
      originalPath: 'CLIPS/A001C001.mov',
      objectKey: 'k1',
      sizeBytes: 10,
    };
    const id = await storeClip(db, file);
    await db
      .update(clips)
      .set({ checksums: { xxh64: 'ab' }, state: 'ready' })
      .where(eq(clips.id, id));
    expect(await storeClip(db, { ...file, objectKey: 'k2', sizeBytes: 12 })).toBe(id);
    expect(await findClip(db, id)).toMatchObject({
      objectKey: 'k2',
      sizeBytes: 12,
      checksums: {},
      state: 'processing',
    });
    expect(await storedFilesOfRoll(db, rollId)).toEqual([{ id, path: 'CLIPS/A001C001.mov', size: 12 }]);
  });
});

describe('renditions', () => {
  it('upserts a render’s renditions by name and returns the objects an older identity left', async () => {
    const productionId = (await newProduction('RE')).id;
    const rollId = (await createRoll(db, { productionId, name: 'A001' })).id;
    const [clip, other] = await addClips(productionId, rollId, [
      { originalPath: 'A001C001.mov' },
      { originalPath: 'A001C002.mov' },
    ]);
    const render = (identity: string) => [
      {
        name: 'proxy:review',
        kind: 'proxy' as const,
        objectKey: `${identity}/review.mp4`,
        identity,
        state: 'ready' as const,
      },
      {
        name: 'poster',
        kind: 'poster' as const,
        objectKey: `${identity}/poster.jpg`,
        identity,
        state: 'ready' as const,
      },
    ];
    expect(await storeRenditions(db, clip!.id, render('one'))).toEqual([]);
    expect(await hasReadyRenditions(db, clip!.id, 'one')).toBe(true);
    expect(await hasReadyRenditions(db, clip!.id, 'two')).toBe(false);
    // Same keys again (a retry after a crash): nothing to delete.
    expect(await storeRenditions(db, clip!.id, render('one'))).toEqual([]);
    const replaced = await storeRenditions(db, clip!.id, render('two'));
    expect(replaced.sort()).toEqual(['one/poster.jpg', 'one/review.mp4']);
    const rows = await renditionsOfClips(db, [clip!.id]);
    expect(rows.map((r) => [r.name, r.identity])).toEqual([
      ['poster', 'two'],
      ['proxy:review', 'two'],
    ]);

    await storeRenditions(db, other!.id, [
      { name: 'proxy:review', kind: 'proxy', objectKey: 'o/review.mp4', identity: 'o', state: 'pending' },
    ]);
    expect(await readyRenditionsOfRoll(db, rollId, 'proxy:review')).toEqual([
      { fileName: 'A001C001.mov', objectKey: 'two/review.mp4' },
    ]);
    expect(await readyRenditionsOfRoll(db, rollId, 'proxy:review', [other!.id])).toEqual([]);
    expect(await readyRenditionsOfRoll(db, rollId, 'poster', [clip!.id])).toHaveLength(1);

    expect(await deleteClip(db, clip!.id)).toEqual(
      expect.arrayContaining(['two/poster.jpg', 'two/review.mp4']),
    );
    expect(await findClip(db, clip!.id)).toBeUndefined();
    expect(await renditionsOfClips(db, [clip!.id])).toEqual([]);
  });
});

describe('rolls', () => {
  it('lists the latest shoot day first, undated last, then by name; filters by kind; pages with a total', async () => {
    const productionId = (await newProduction('RL')).id;
    await createRoll(db, { productionId, name: 'B001', shootDay: '2026-01-02' });
    await createRoll(db, { productionId, name: 'A002', shootDay: '2026-01-02' });
    await createRoll(db, { productionId, name: 'A001', shootDay: '2026-01-01' });
    await createRoll(db, { productionId, name: 'S001', kind: 'sound' });
    const all = await listRolls(db, productionId, offsetPage(10));
    expect(all.rows.map((r) => r.name)).toEqual(['A002', 'B001', 'A001', 'S001']);
    expect(all.total).toBe(4);
    const second = await listRolls(db, productionId, offsetPage(2, 2));
    expect(second).toMatchObject({ total: 4, rows: [{ name: 'A001' }, { name: 'S001' }] });
    const sound = await listRolls(db, productionId, offsetPage(10), 'sound');
    expect(sound).toMatchObject({ total: 1, rows: [{ name: 'S001' }] });
    const a001 = (await rollByName(db, productionId, 'A001'))!;
    expect(await rollByName(db, productionId, 'Z999')).toBeUndefined();
    const foreign = (await createRoll(db, { productionId: (await newProduction('RM')).id, name: 'A001' })).id;
    expect(await rollIdsInProduction(db, productionId, [a001.id, foreign])).toEqual([a001.id]);
  });

  it('lets a roll claim a card, keeping a camera unit it was given and the files it already stored', async () => {
    const productionId = (await newProduction('RC')).id;
    const roll = await createRoll(db, { productionId, name: 'A001', cameraUnit: 'B' });
    const card = { location: '/cards/A001', kind: 'camera' as const, cameraUnit: 'A', filesTotal: 5 };
    expect(await claimRollForImport(db, roll.id, card)).toBe(true);
    expect(await rollByName(db, productionId, 'A001')).toMatchObject({
      sourceLocation: '/cards/A001',
      cameraUnit: 'B',
      importFilesTotal: 5,
      importFilesDone: 0,
    });
    await recordImportProgress(db, roll.id, 3);
    expect(await claimRollForImport(db, roll.id, { ...card, filesTotal: 6 })).toBe(true);
    expect(await rollByName(db, productionId, 'A001')).toMatchObject({
      importFilesTotal: 6,
      importFilesDone: 3,
    });
    expect(await claimRollForImport(db, '00000000-0000-0000-0000-000000000000', card)).toBe(false);
  });
});

describe('manifests', () => {
  const entry: ManifestEntry = {
    path: 'A001C001.mov',
    size: 10,
    hashes: [{ algorithm: 'xxh64', value: 'ab' }],
  };

  it('records a card’s manifest once however often the import is retried, and reads its entries parsed', async () => {
    const productionId = (await newProduction('MF')).id;
    const rollId = (await createRoll(db, { productionId, name: 'A001' })).id;
    await recordManifest(db, rollId, { format: 'ascmhl-v1', path: 'A001.mhl', entries: [entry] });
    await recordManifest(db, rollId, {
      format: 'ascmhl-v1',
      path: 'A001.mhl',
      entries: [entry, { ...entry, path: 'A001C002.mov' }],
    });
    expect(await manifestsOfRolls(db, [rollId])).toHaveLength(1);
    expect(await manifestEntriesOfRoll(db, rollId)).toEqual([
      { path: 'A001.mhl', entries: [entry, { ...entry, path: 'A001C002.mov' }] },
    ]);
  });

  it('refuses to write entries that do not match the manifest schema', async () => {
    const productionId = (await newProduction('MG')).id;
    const rollId = (await createRoll(db, { productionId, name: 'A001' })).id;
    const bad = { path: 'x', hashes: [{ algorithm: 'crc99', value: '1' }] } as unknown as ManifestEntry;
    await expect(
      recordManifest(db, rollId, { format: 'ascmhl-v2', path: 'm', entries: [bad] }),
    ).rejects.toThrow(/a manifest is not valid/);
    expect(await manifestsOfRolls(db, [rollId])).toEqual([]);
  });
});

describe('productions', () => {
  it('finds a production by code in any case, and lists some or all newest first with a total', async () => {
    const first = await newProduction('PA');
    const second = await newProduction('PB');
    expect((await productionByCode(db, 'pa'))?.id).toBe(first.id);
    expect(await productionByCode(db, 'nope')).toBeUndefined();
    const some = await listProductions(db, [first.id, second.id], offsetPage(1));
    expect(some).toMatchObject({ total: 2, rows: [{ id: second.id }] });
    expect(await listProductions(db, [], offsetPage(10))).toEqual({ rows: [], total: 0 });
    const all = await listProductions(db, 'all', offsetPage(500));
    expect(all.total).toBe(all.rows.length);
    expect(all.rows.map((r) => r.id)).toEqual(expect.arrayContaining([first.id, second.id]));
  });

  it('creates a production with its owner, and marks it ready once with one audit event', async () => {
    const [user] = await db
      .insert(users)
      .values({ email: 'owner@example.com', name: 'O', passwordHash: 'x' })
      .returning();
    const created = await createProduction(db, { name: 'New', code: 'PN' }, user!.id);
    expect(created.state).toBe('pending');
    expect(
      await db.select().from(productionMembers).where(eq(productionMembers.productionId, created.id)),
    ).toEqual([expect.objectContaining({ userId: user!.id, role: 'owner' })]);
    expect(await markProductionReady(db, created.id, 'w1')).toBe(true);
    expect(await markProductionReady(db, created.id, 'w1')).toBe(false);
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.productionId, created.id));
    expect(audit.map((a) => [a.action, a.actorWorker])).toEqual([['production.ready', 'w1']]);
    expect((await productionByCode(db, 'PN'))?.state).toBe('ready');
  });
});

describe('import roots', () => {
  it('lists every root’s location and productions, by location', async () => {
    const production = await newProduction('IR');
    await createImportRoot(db, { location: '/mnt/z', description: '', productionIds: [], createdBy: null });
    await createImportRoot(db, {
      location: '/mnt/a',
      description: 'A cam',
      productionIds: [production.id],
      createdBy: null,
    });
    expect(await importRootGrants(db)).toEqual([
      { location: '/mnt/a', productionIds: [production.id] },
      { location: '/mnt/z', productionIds: [] },
    ]);
  });
});
