import { SignedIn } from '../../sign-in.tsx';
import { ClipPage } from './clip.tsx';

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <SignedIn>
      <ClipPage id={decodeURIComponent(id)} />
    </SignedIn>
  );
}
