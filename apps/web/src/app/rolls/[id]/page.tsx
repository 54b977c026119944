import { Suspense } from 'react';
import { SignedIn } from '../../sign-in.tsx';
import { RollPage } from './roll.tsx';

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <SignedIn>
      {/* The filters live in the URL's query, read on the client. */}
      <Suspense>
        <RollPage id={decodeURIComponent(id)} />
      </Suspense>
    </SignedIn>
  );
}
