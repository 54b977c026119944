import { ProductionsPage } from './productions.tsx';
import { SignedIn } from './sign-in.tsx';

export default function Home() {
  return (
    <SignedIn>
      <ProductionsPage />
    </SignedIn>
  );
}
