import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { VIEWER } from '../lib/queries.ts';
import { serverQuery } from '../lib/server-query.ts';
import { SessionProvider } from '../lib/session.tsx';
import { GraphQLProvider } from '../lib/urql.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: 'Rushes',
  description: 'Camera files in; verified, browsable, downloadable media out.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered for each request: settings are read then, and each response has its own CSP nonce.
  await connection();
  const serverViewer = await serverQuery(VIEWER, {});
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <a href="/" className="brand">
            Rushes
          </a>
        </header>
        <SessionProvider serverViewer={serverViewer}>
          <GraphQLProvider>
            <main>{children}</main>
          </GraphQLProvider>
        </SessionProvider>
      </body>
    </html>
  );
}
