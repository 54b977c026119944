/**
 * The web app's process: parses its settings first (refusing to start on a bad one), then serves
 * the built Next.js app.
 */
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { settingsOrExit } from '@rushes/schema/settings';
import * as nextModule from 'next';
import { webSettings } from './src/settings.ts';

const settings = settingsOrExit(webSettings);

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Next ships CommonJS (`module.exports = createServer`); under NodeNext its types see the namespace.
const next = nextModule.default as unknown as typeof nextModule.default.default;
const app = next({ dev: false, dir, port: settings.PORT });
await app.prepare();
const handle = app.getRequestHandler();
const server = createServer((req, res) => void handle(req, res));
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
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
