import { fromSearchParams, toClipFilter } from '../../../lib/clip-query.ts';
import { CLIP_PAGE, ROLL_CLIPS, ROLL_PAGE } from '../../../lib/queries.ts';
import { serverQuery } from '../../../lib/server-query.ts';
import { SignedIn } from '../../sign-in.tsx';
import { RollPage } from './roll.tsx';

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const id = decodeURIComponent((await params).id);
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(await searchParams)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) search.set(name, first);
  }
  // The same filter and order the browser will ask for, so its first answer changes nothing.
  const query = fromSearchParams(search);
  const [roll, clips] = await Promise.all([
    serverQuery(ROLL_PAGE, { id }),
    serverQuery(ROLL_CLIPS, {
      id,
      first: CLIP_PAGE,
      filter: toClipFilter(query).filter,
      orderBy: { field: query.sort, direction: query.direction },
    }),
  ]);
  return (
    <SignedIn>
      <RollPage
        id={id}
        initialQuery={query}
        initial={roll}
        initialClips={clips?.node && 'clips' in clips.node ? clips.node.clips : null}
      />
    </SignedIn>
  );
}
