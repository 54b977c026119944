import { serverQuery } from '../../../lib/server-query.ts';
import { SignedIn } from '../../sign-in.tsx';
import { ClipPage } from './clip.tsx';
import { CLIP } from './clip-query.ts';

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const id = decodeURIComponent((await params).id);
  return (
    <SignedIn>
      <ClipPage id={id} initial={await serverQuery(CLIP, { id })} />
    </SignedIn>
  );
}
