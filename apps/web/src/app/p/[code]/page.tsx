import { PRODUCTION } from '../../../lib/queries.ts';
import { serverQuery } from '../../../lib/server-query.ts';
import { SignedIn } from '../../sign-in.tsx';
import { ProductionPage } from './production.tsx';

export default async function Page({ params }: { params: Promise<{ code: string }> }) {
  const code = decodeURIComponent((await params).code);
  return (
    <SignedIn>
      <ProductionPage code={code} initial={await serverQuery(PRODUCTION, { code })} />
    </SignedIn>
  );
}
