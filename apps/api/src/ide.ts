/**
 * An offline GraphQL IDE: GET /graphql from a browser serves GraphiQL, with its scripts and
 * styles from our own node_modules under /graphql-ide/ — nothing from a CDN, so it works on a
 * set's closed network. GraphiQL 3 is the last major that ships a ready-made browser bundle
 * (UMD, with React 18 as globals); later majors expect a bundler.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Express } from 'express';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

const ASSETS: Record<string, string> = {
  'react.js': path.join(packageDir('react'), 'umd/react.production.min.js'),
  'react-dom.js': path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
  'graphiql.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Rushes GraphQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/graphql-ide/graphiql.css">
<style>html, body, #ide { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="ide">Loading the GraphQL IDE…</div>
<script src="/graphql-ide/react.js"></script>
<script src="/graphql-ide/react-dom.js"></script>
<script src="/graphql-ide/graphiql.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).href });
  const defaultHeaders = JSON.stringify({ authorization: 'Bearer <your session token or API key>' }, null, 2);
  const defaultQuery = '# Sign in with the signIn mutation (or use an API key), put the token in Headers below, then:\\n{\\n  viewer { email isAdmin memberships { role production { id code name } } }\\n}\\n';
  ReactDOM.createRoot(document.getElementById('ide')).render(
    React.createElement(GraphiQL, { fetcher, defaultHeaders, defaultQuery, headerEditorEnabled: true, shouldPersistHeaders: true }),
  );
</script>
</body>
</html>`;

/** GET /graphql with Accept: text/html → the IDE; everything else falls through to the api. */
export function mountIde(app: Express): void {
  app.get('/graphql', (req, res, next) => {
    if (req.accepts(['application/json', 'text/html']) !== 'text/html') {
      next();
      return;
    }
    res.type('html').setHeader('cache-control', 'no-cache').send(PAGE);
  });
  app.get('/graphql-ide/:asset', (req, res) => {
    const file = ASSETS[req.params.asset];
    if (!file) {
      res.status(404).type('text/plain').send('No such IDE asset.');
      return;
    }
    res.sendFile(file, { maxAge: '1d' });
  });
}
