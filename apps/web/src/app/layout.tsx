import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { SessionProvider } from '../lib/session.tsx';
import { GraphQLProvider } from '../lib/urql.tsx';
import { webSettings } from '../settings.ts';
import './globals.css';

export const metadata: Metadata = {
  title: 'Rushes',
  description: 'Camera files in; verified, browsable, downloadable media out.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Settings are read at request time, not baked in at build time.
  await connection();
  const { RUSHES_API_URL } = webSettings();
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <a href="/" className="brand">
            Rushes
          </a>
        </header>
        <SessionProvider>
          <GraphQLProvider apiUrl={RUSHES_API_URL}>
            <main>{children}</main>
          </GraphQLProvider>
        </SessionProvider>
      </body>
    </html>
  );
}
