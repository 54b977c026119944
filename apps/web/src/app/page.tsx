import { PRODUCTIONS } from '../lib/queries.ts';
import { serverQuery } from '../lib/server-query.ts';
import { ProductionsPage } from './productions.tsx';
import { SignedIn } from './sign-in.tsx';

export default async function Home() {
  return (
    <SignedIn>
      <ProductionsPage initial={await serverQuery(PRODUCTIONS, {})} />
    </SignedIn>
  );
}
