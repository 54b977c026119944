/**
 * The web app's process: parses its settings first (refusing to start on a bad one), then serves
 * the built Next.js app behind the gateway (`/graphql` and `/session/…`, src/server/gateway.ts),
 * every response with the security headers and its own CSP nonce (src/server/security-headers.ts).
 */
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { settingsOrExit } from '@rushes/schema/settings';
import * as nextModule from 'next';
import { createGateway } from './src/server/gateway.ts';
import { isHttps, newNonce, securityHeaders } from './src/server/security-headers.ts';
import { webSettings } from './src/settings.ts';

const settings = settingsOrExit(webSettings);

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Next ships CommonJS (`module.exports = createServer`); under NodeNext its types see the namespace.
const next = nextModule.default as unknown as typeof nextModule.default.default;
const app = next({ dev: false, dir, port: settings.PORT });
await app.prepare();
const handle = app.getRequestHandler();
const gateway = createGateway({ apiUrl: settings.RUSHES_API_SERVER_URL ?? settings.RUSHES_API_URL });
const mediaOrigins = [new URL(settings.RUSHES_API_URL).origin, ...settings.MEDIA_ORIGINS];
const server = createServer((req, res) => {
  const nonce = newNonce();
  const headers = securityHeaders({ nonce, https: isHttps(req), mediaOrigins });
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (gateway.handle(req, res)) return;
  // Next.js takes the nonce for its scripts from the request's policy (docs: Content Security Policy).
  req.headers['content-security-policy'] = headers['content-security-policy'];
  void handle(req, res);
});
server.on('upgrade', (req, socket, head) => gateway.upgrade(req, socket, head));
server.on('error', (error: NodeJS.ErrnoException) => {
  const reason =
    error.code === 'EADDRINUSE' ? `port ${settings.PORT} is already in use (set PORT)` : error.message;
  console.error(`rushes web: cannot listen: ${reason}`);
  process.exit(1);
});
server.listen(settings.PORT, settings.HOST, () => {
  console.log(`rushes web: http://localhost:${settings.PORT} (api ${settings.RUSHES_API_URL})`);
});

function shutdown() {
  gateway.close();
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
