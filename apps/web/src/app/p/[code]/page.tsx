import { SignedIn } from '../../sign-in.tsx';
import { ProductionPage } from './production.tsx';

export default async function Page({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return (
    <SignedIn>
      <ProductionPage code={decodeURIComponent(code)} />
    </SignedIn>
  );
}
