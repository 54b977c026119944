/**
 * Clip queries at scale (issue 22): SCALE_CLIPS clips (default 1,000,000) in one production of
 * SCALE_CLIPS / 1000 rolls (./scale/seed.ts), and every sort and filter the api offers asked for
 * through HTTP with a vendor's API key, one request at a time: the first page of 100, the next
 * page (its endCursor), a page deep in the set (after following cursors DEEP_PAGES pages; for the
 * default sort also from the clip halfway through the set), `totalCount` where it is costly,
 * and `search`. Each is timed SCALE_RUNS times (default 20) after 3 warm-ups; rows give p95 (the
 * goal: under 50 ms, ✗ otherwise) with p50 beside it. Then the plan PostgreSQL picks for each
 * listing's first scan (explainListClips), one line each.
 */
import type { ClipOrderBy } from '@rushes/data/clip-filter';
import { clipCursor, explainListClips, type ClipListing } from '@rushes/data/clips';
import { clips } from '@rushes/schema/tables';
import { asc, eq } from 'drizzle-orm';
import { pino } from 'pino';
// The built api: Node's type stripping does not run type-graphql's decorators.
import { createApiServer } from '@rushes/api/server';
import { openApiDeps, UNREFUSED_RATE_LIMITS } from './api-deps.ts';
import { percentile, type Benchmark, type Row } from './harness.ts';
import { planShape, scaleCases, type Case } from './scale/cases.ts';
import { seedScale } from './scale/seed.ts';

const CLIPS = Number(process.env['SCALE_CLIPS'] ?? 1_000_000);
const RUNS = Number(process.env['SCALE_RUNS'] ?? 20);
const WARM_UPS = 3;
const PAGE = 100;
/** Pages followed before the "deep" page is timed. */
const DEEP_PAGES = 5;
/** The issue's goal for every query, p95. */
const GOAL_MS = 50;

const CLIP_FIELDS = `id fileName reel camera startTimecode endTimecode durationFrames frameRate { num den }
  width height codec colorSpace state recordedAt sizeBytes`;
const listQuery = (count: boolean) => `query Clips($production: ID!, $filter: ClipFilter, $orderBy: ClipOrder,
    $first: Int, $after: String) {
  clips(productionId: $production, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    nodes { ${CLIP_FIELDS} }
    pageInfo { hasNextPage endCursor }
    ${count ? 'totalCount totalCountExact' : ''}
  }
}`;
const SEARCH = `query Search($production: ID!, $text: String!) {
  search(productionId: $production, text: $text, first: 50) { rolls { id name } clips { ${CLIP_FIELDS} } }
}`;

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');

const benchmark: Benchmark = async (context) => {
  const url = await context.createDatabase();
  const log = pino({ level: 'silent' });
  const { deps, close } = await openApiDeps(url, log, { folderPrefix: 'rushes-bench-scale-' });
  const resources = deps;

  let stopApi: (() => Promise<void>) | undefined;
  try {
    const seeded = performance.now();
    const seed = await seedScale(resources.pool, { clips: CLIPS });
    const seedSeconds = (performance.now() - seeded) / 1000;
    const s = seed.samples;

    // One client, one request at a time: rate limits high enough never to refuse it.
    const api = await createApiServer(deps, {
      corsOrigins: '*',
      rateLimits: UNREFUSED_RATE_LIMITS,
      // Every request reaches PostgreSQL: what is measured here is the query, and a request
      // asked again would otherwise be answered from the api's read cache.
      responseCacheBytes: 0,
    });
    stopApi = () => api.stop();
    const endpoint = `http://127.0.0.1:${await api.listen(0, '127.0.0.1')}/graphql`;
    const production = globalId('Production', seed.productionId);

    /** One GraphQL request; its data, or an error naming the query. */
    const ask = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${seed.token}` },
        body: JSON.stringify({ query, variables: { production, ...variables } }),
      });
      const result = (await response.json()) as { data?: T; errors?: { message: string }[] };
      if (result.errors?.length || !result.data) {
        throw new Error(`${JSON.stringify(variables)}: ${result.errors?.[0]?.message ?? response.status}`);
      }
      return result.data;
    };
    type Page = {
      clips: { nodes: { fileName: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    };

    /** p50 and p95 of RUNS requests after WARM_UPS. */
    const time = async (request: () => Promise<unknown>) => {
      for (let i = 0; i < WARM_UPS; i += 1) await request();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const started = performance.now();
        await request();
        times.push(performance.now() - started);
      }
      return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
    };

    const b = `clips at scale, ${CLIPS.toLocaleString('en-US')} clips`;
    const rows: Row[] = [
      { benchmark: b, subject: 'seed (SQL, indexes built after)', value: seedSeconds, unit: 's' },
    ];
    const record = (subject: string, t: { p50: number; p95: number }) => {
      const flag = t.p95 >= GOAL_MS ? ' ✗' : '';
      rows.push({
        benchmark: b,
        subject: `${subject} (p50 ${t.p50.toFixed(1)} ms)${flag}`,
        value: t.p95,
        unit: 'ms p95',
      });
    };

    const cases = scaleCases(seed);
    const variablesOf = (c: Case, after?: string | null) => ({
      filter:
        c.filter || c.rolls
          ? { ...c.filter, rollIds: c.rolls?.map((id) => globalId('Roll', id)) }
          : undefined,
      orderBy: c.order,
      first: PAGE,
      after,
    });
    const listingOf = (c: Case, after?: string | null): ClipListing => ({
      productionId: seed.productionId,
      rollIds: c.rolls,
      filter: c.filter,
      order: c.order,
      page: { limit: PAGE, after },
    });
    const plans: string[] = [];
    const plan = async (name: string, c: Case, after?: string | null) =>
      plans.push(`${name}: ${planShape(await explainListClips(resources.db, listingOf(c, after)))}`);

    for (const c of cases) {
      process.stderr.write(`  scale: ${c.name}\n`);
      const list = (after?: string | null) => ask<Page>(listQuery(false), variablesOf(c, after));
      const first = await list();
      // Reel + timecode names one clip: it must be there (timecode alone matches many rolls).
      if (
        c.filter?.reel &&
        c.filter.timecode &&
        !first.clips.nodes.some((n) => n.fileName === s.timecodeClip)
      ) {
        throw new Error(`${c.name}: ${s.timecodeClip} not found`);
      }
      record(`${c.name} · first page`, await time(() => list()));
      await plan(c.name, c);
      const next = first.clips.pageInfo;
      if (!next.hasNextPage) continue; // one page holds every match
      record(`${c.name} · next page`, await time(() => list(next.endCursor)));
      let deep = next;
      let pages = 1;
      while (pages < DEEP_PAGES && deep.hasNextPage) {
        deep = (await list(deep.endCursor)).clips.pageInfo;
        pages += 1;
      }
      if (deep.hasNextPage) {
        record(`${c.name} · page ${pages + 1}`, await time(() => list(deep.endCursor)));
        await plan(`${c.name} · page ${pages + 1}`, c, deep.endCursor);
      }
    }

    // Deep in the set: after the clip halfway through it by name (setup, not timed).
    const nameOrder: ClipOrderBy = { field: 'NAME', direction: 'ASC' };
    const [middle] = await resources.db
      .select({ id: clips.id })
      .from(clips)
      .where(eq(clips.productionId, seed.productionId))
      .orderBy(asc(clips.fileName), asc(clips.originalPath), asc(clips.id))
      .offset(Math.floor(CLIPS / 2))
      .limit(1);
    const halfway = await clipCursor(resources.db, middle!.id, nameOrder);
    const byName = cases[0]!;
    record(
      'default sort · after the middle clip',
      await time(() => ask(listQuery(false), variablesOf(byName, halfway))),
    );
    await plan('default sort · after the middle clip', byName, halfway);

    // totalCount: the count runs only when asked for.
    const model = cases.find((c) => c.filter?.cameraModel)!;
    for (const c of [byName, model]) {
      record(`${c.name} · first page + totalCount`, await time(() => ask(listQuery(true), variablesOf(c))));
    }

    const found = await ask<{ search: { clips: { fileName: string }[] } }>(SEARCH, { text: s.clipName });
    if (!found.search.clips.some((clip) => clip.fileName.startsWith(s.clipName))) {
      throw new Error(`search ${s.clipName}: the clip is not among the results`);
    }
    record(`search "${s.clipName}"`, await time(() => ask(SEARCH, { text: s.clipName })));

    console.log(`\nPlans of the first scan (${b}):\n${plans.map((p) => `  ${p}`).join('\n')}\n`);
    return rows;
  } finally {
    await stopApi?.();
    await close();
  }
};

export default benchmark;
