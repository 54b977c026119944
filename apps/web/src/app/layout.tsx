import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { VIEWER } from '../lib/queries.ts';
import { serverQuery, sessionToken } from '../lib/server-query.ts';
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
  const serverViewer = await serverQuery(VIEWER, {});
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <a href="/" className="brand">
            Rushes
          </a>
        </header>
        <SessionProvider serverToken={await sessionToken()} serverViewer={serverViewer}>
          <GraphQLProvider apiUrl={RUSHES_API_URL}>
            <main>{children}</main>
          </GraphQLProvider>
        </SessionProvider>
      </body>
    </html>
  );
}
