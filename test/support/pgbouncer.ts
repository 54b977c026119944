/**
 * A real PgBouncer (Debian's) in front of the test PostgreSQL, in the pool mode asked for, on a
 * free loopback port. It will not run as root: as root it is started as the `postgres` user
 * (`-u`), with its files in a folder that user owns.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './postgres.global.ts';

export interface PgBouncer {
  /** `databaseUrl` with PgBouncer's host and port. */
  url: string;
  /** The clients connected to PgBouncer now, by application_name (its SHOW CLIENTS). */
  clients(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startPgBouncer(
  databaseUrl: string,
  poolMode: 'session' | 'transaction',
): Promise<PgBouncer> {
  const target = new URL(databaseUrl);
  const database = target.pathname.slice(1);
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'rushes-pgbouncer-'));
  const asRoot = userInfo().uid === 0;
  const ini = path.join(dir, 'pgbouncer.ini');
  const users = path.join(dir, 'users.txt');
  await writeFile(users, `"${decodeURIComponent(target.username) || 'postgres'}" ""\n`);
  await writeFile(
    ini,
    [
      '[databases]',
      `${database} = host=${target.hostname} port=${target.port || 5432} dbname=${database}` +
        (target.username ? ` user=${decodeURIComponent(target.username)}` : '') +
        (target.password ? ` password=${decodeURIComponent(target.password)}` : ''),
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      `auth_file = ${users}`,
      `pool_mode = ${poolMode}`,
      'max_client_conn = 200',
      `admin_users = ${decodeURIComponent(target.username) || 'postgres'}`,
      'default_pool_size = 20',
      // pg and pg-boss send these at connect; PgBouncer refuses unknown start-up parameters.
      'ignore_startup_parameters = extra_float_digits,application_name,options',
      `logfile = ${path.join(dir, 'pgbouncer.log')}`,
      '',
    ].join('\n'),
  );
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    for (const file of [dir, ini, users]) await chown(file, uid, gid);
  }
  const child: ChildProcess = spawn('pgbouncer', [...(asRoot ? ['-u', 'postgres'] : []), ini], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error) =>
      reject(new Error(`PgBouncer could not start (${error.message}): apt-get install pgbouncer`)),
    ),
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const open = await Promise.race([
      spawnError,
      new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      }),
    ]);
    if (open) break;
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`PgBouncer did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  const admin = new URL(url);
  admin.pathname = '/pgbouncer';
  return {
    url: url.toString(),
    async clients() {
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      try {
        const { rows } = await client.query<{ application_name: string }>('SHOW CLIENTS');
        return rows.map((r) => r.application_name);
      } finally {
        await client.end();
      }
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
