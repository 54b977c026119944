/**
 * `npm start`: the whole platform on one machine. With no configuration it starts an embedded
 * PostgreSQL (data under .rushes/), applies migrations, then starts the api, the worker(s) and
 * the web app, prints their URLs, and stops everything on Ctrl-C / SIGTERM. An api, worker or
 * web process that exits on its own is restarted with backoff (scripts/lib/restart-policy.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  databaseUrl,
  logLevel,
  parseSettings,
  port,
  positiveInt,
  settingsOrExit,
} from '@rushes/schema/settings';
import { z } from 'zod';
import { ensureDatabase, migrateDatabase, withDatabase } from './lib/database.ts';
import { EX_CONFIG } from './lib/restart-policy.ts';
import {
  launch,
  supervise,
  terminate,
  waitForHttp,
  type Child,
  type LaunchOptions,
  type Supervised,
} from './lib/supervisor.ts';
import { API_NODE_FLAGS } from './node-flags.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

const launcherSettings = {
  /** Use this PostgreSQL instead of the embedded one. */
  DATABASE_URL: databaseUrl().optional(),
  /** Where the embedded PostgreSQL (and, later, local storage) keep their data. */
  RUSHES_DATA_DIR: z.string().default('.rushes'),
  /** Port of the embedded PostgreSQL on 127.0.0.1. */
  RUSHES_PG_PORT: port(54329),
  API_PORT: port(4000),
  WEB_PORT: port(3000),
  /** Worker processes to start. */
  WORKERS: positiveInt(1),
  /** The api URL browsers use. Default: http://localhost:API_PORT/graphql. */
  RUSHES_API_URL: z.string().optional(),
  /** Browser origins the api allows (CORS). Default: the web app's, http://localhost:WEB_PORT. */
  CORS_ORIGINS: z.string().optional(),
  LOG_LEVEL: logLevel(),
  /** Storage: `local` (default, a folder under RUSHES_DATA_DIR) or `s3` (then S3_* are passed on). */
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  STORAGE_DIR: z.string().optional(),
  STORAGE_SIGNING_SECRET: z.string().optional(),
  PUBLIC_API_URL: z.string().optional(),
};

const settings = settingsOrExit(() => parseSettings('rushes start', launcherSettings, process.env));

const children: Supervised[] = [];
let postgres: Child | undefined;
let stopping: Promise<number> | undefined;

/** Stops everything once; a later call (a signal, a failed start) waits for that same stop. */
async function stopAll(status: number): Promise<never> {
  stopping ??= (async () => {
    console.log('Stopping Rushes…');
    await Promise.all(children.map((child) => child.stop(15_000)));
    if (postgres) await terminate(postgres, 20_000, true);
    console.log('Stopped.');
    return status;
  })();
  process.exit(await stopping);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void stopAll(0));

/** An unexpected exit of PostgreSQL stops the rest: a half-running platform helps nobody. */
function watch(child: Child): Child {
  void child.exited.then((status) => {
    if (stopping) return;
    console.error(`${child.name} exited unexpectedly (${status}); stopping the rest.`);
    void stopAll(1);
  });
  return child;
}

/**
 * The api, workers and web: restarted when they exit on their own. One the policy gives up on
 * (invalid settings, or crashing again and again at start-up) stops the platform.
 */
function supervised(name: string, args: readonly string[], options: LaunchOptions): Supervised {
  const child = supervise(name, () => launch(name, args, options));
  children.push(child);
  void child.gaveUp.then(({ status }) => {
    if (stopping) return;
    console.error(`${name} will not be restarted; stopping the rest.`);
    void stopAll(status === EX_CONFIG ? EX_CONFIG : 1);
  });
  return child;
}

const dataDir = path.resolve(root, settings.RUSHES_DATA_DIR);

function pick(env: NodeJS.ProcessEnv, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.flatMap((k) => (env[k] ? [[k, env[k]!]] : [])));
}

/** The local store's signing secret: made once, kept in the data folder (mode 600). */
async function signingSecret(): Promise<string> {
  const file = path.join(dataDir, 'signing-secret');
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim().length >= 32) return existing.trim();
  const secret = randomBytes(32).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

// The data folder goes to every process: it is never importable (import roots).
const baseEnv: NodeJS.ProcessEnv = {
  ...process.env,
  LOG_LEVEL: settings.LOG_LEVEL,
  RUSHES_DATA_DIR: dataDir,
};
// Storage: the settings given, else the local folder under the data folder.
if (settings.STORAGE_DRIVER === 'local') {
  baseEnv['STORAGE_DIR'] = settings.STORAGE_DIR ?? path.join(dataDir, 'storage');
  baseEnv['STORAGE_SIGNING_SECRET'] = settings.STORAGE_SIGNING_SECRET ?? (await signingSecret());
  baseEnv['PUBLIC_API_URL'] = settings.PUBLIC_API_URL ?? `http://localhost:${settings.API_PORT}`;
} else {
  // One machine, one api: the data folder's secret serves (a deployment shares its own).
  baseEnv['API_SIGNING_SECRET'] = process.env['API_SIGNING_SECRET'] ?? (await signingSecret());
}
for (const key of ['PORT', 'HOST', 'DATABASE_URL']) delete baseEnv[key];

async function startDatabase(): Promise<{ url: string; description: string }> {
  if (settings.DATABASE_URL) return { url: settings.DATABASE_URL, description: 'DATABASE_URL' };
  const pgDir = path.join(dataDir, 'postgres');
  const child = launch('postgres', [path.join(root, 'scripts/postgres.ts')], {
    env: { ...baseEnv, RUSHES_PG_DATA_DIR: pgDir, RUSHES_PG_PORT: String(settings.RUSHES_PG_PORT) },
    ipc: true,
  });
  postgres = watch(child);
  const serverUrl = await new Promise<string>((resolve, reject) => {
    child.process.once('message', (message: { serverUrl: string }) => resolve(message.serverUrl));
    void child.exited.then(() =>
      reject(new Error('the embedded PostgreSQL did not start (see [postgres] above)')),
    );
  });
  await ensureDatabase(serverUrl, 'rushes');
  return {
    url: withDatabase(serverUrl, 'rushes'),
    description: `embedded PostgreSQL, data in ${path.relative(process.cwd(), pgDir) || pgDir}, port ${settings.RUSHES_PG_PORT}`,
  };
}

try {
  const database = await startDatabase();
  await migrateDatabase(database.url);
  // Local tools (`npx rushes ingest`) find the running platform through this file.
  const connection = {
    DATABASE_URL: database.url,
    ...pick(baseEnv, ['STORAGE_DRIVER', 'STORAGE_DIR', 'STORAGE_SIGNING_SECRET', 'PUBLIC_API_URL']),
  };
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'connection.json'), `${JSON.stringify(connection, null, 2)}\n`, {
    mode: 0o600,
  });

  const apiUrl = settings.RUSHES_API_URL ?? `http://localhost:${settings.API_PORT}/graphql`;
  const api = supervised('api', [...API_NODE_FLAGS, path.join(root, 'apps/api/dist/main.js')], {
    env: {
      ...baseEnv,
      DATABASE_URL: database.url,
      PORT: String(settings.API_PORT),
      CORS_ORIGINS:
        settings.CORS_ORIGINS ??
        `http://localhost:${settings.WEB_PORT},http://127.0.0.1:${settings.WEB_PORT}`,
    },
  });
  for (let i = 1; i <= settings.WORKERS; i += 1) {
    supervised(
      settings.WORKERS > 1 ? `worker${i}` : 'worker',
      [path.join(root, 'apps/worker/dist/main.js')],
      {
        // Any free port for each worker's probes: several run on this machine, nothing probes them.
        env: { ...baseEnv, DATABASE_URL: database.url, WORKER_HEALTH_PORT: '0' },
      },
    );
  }
  const web = supervised('web', [path.join(root, 'apps/web/dist/server.js')], {
    cwd: path.join(root, 'apps/web'),
    env: { ...baseEnv, PORT: String(settings.WEB_PORT), RUSHES_API_URL: apiUrl },
  });

  // Until it answers, a process may be restarted; only giving up on it fails the start.
  const givenUp = (child: Supervised) => ({ name: child.name, exited: child.gaveUp });
  await Promise.all([
    waitForHttp(`http://127.0.0.1:${settings.API_PORT}/healthz`, givenUp(api), 60_000),
    waitForHttp(`http://127.0.0.1:${settings.WEB_PORT}/`, givenUp(web), 90_000),
  ]);
  console.log(
    [
      '',
      'Rushes is running',
      `  web       http://localhost:${settings.WEB_PORT}`,
      `  GraphQL   ${apiUrl}  (HTTP and WebSocket)`,
      `  database  ${database.description}`,
      `  workers   ${settings.WORKERS}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
} catch (error) {
  console.error(`Rushes could not start: ${(error as Error).message}`);
  await stopAll(1);
}
