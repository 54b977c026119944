import { SignedIn } from '../../../sign-in.tsx';
import { SettingsPage } from './settings.tsx';

export default async function Page({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return (
    <SignedIn>
      <SettingsPage code={decodeURIComponent(code)} />
    </SignedIn>
  );
}
