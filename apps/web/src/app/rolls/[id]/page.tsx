import { SignedIn } from '../../sign-in.tsx';
import { RollPage } from './roll.tsx';

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <SignedIn>
      <RollPage id={decodeURIComponent(id)} />
    </SignedIn>
  );
}
