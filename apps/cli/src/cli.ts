#!/usr/bin/env node
/**
 * rushes — the platform from a shell.
 *
 *   rushes ingest <dir | s3://bucket/prefix> --production <code> --roll <name> [--wait] [--json]
 *   rushes ingest <dir> --api <url> --key <api key> --production <code> --roll <name> [--wait] [--json]
 *   rushes user create --email <address> --password <password> [--name <name>] [--admin]
 *
 * Without --api, ingest and user read the same settings as the worker (DATABASE_URL, STORAGE_*,
 * S3_*); with none set, they use the platform `npm start` is running (its connection file in
 * RUSHES_DATA_DIR, default .rushes/). An s3:// location is read with the S3_* settings.
 * With --api, the card goes up through the api from any machine (the key may also come from
 * RUSHES_API_KEY, which keeps it out of the shell's history). `rushes --help` prints the usage.
 * Exit status: 0 when every clip is ready (or, without --wait, imported), 1 otherwise, 2 on a
 * usage error.
 */
import { parseArgs } from 'node:util';
import { ingestLocal } from './commands/ingest-local.ts';
import { ingestRemote } from './commands/ingest-remote.ts';
import { createUser, UsageError } from './commands/user-create.ts';
import { IngestError } from '@rushes/worker/ingest';
import { RemoteError } from './remote/api-client.ts';

const USAGE = `usage:
  rushes ingest <dir | s3://bucket/prefix> --production <code> --roll <name> [--wait] [--json] [--settle <seconds, default 2>]
  rushes ingest <dir> --api <url> --key <api key> --production <code> --roll <name> [--wait] [--json]
  rushes user create --email <address> --password <password> [--name <name>] [--admin]`;

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        production: { type: 'string' },
        roll: { type: 'string' },
        wait: { type: 'boolean', default: false },
        settle: { type: 'string', default: '2' },
        json: { type: 'boolean', default: false },
        api: { type: 'string' },
        key: { type: 'string' },
        email: { type: 'string' },
        password: { type: 'string' },
        name: { type: 'string' },
        admin: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function main(): Promise<number> {
  const { values: flags, positionals } = parse();
  const [command, argument] = positionals;
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  if (command === 'user' && argument === 'create') return createUser(flags);
  const settleSeconds = Number(flags.settle);
  if (command !== 'ingest' || !argument || !flags.production || !flags.roll || !(settleSeconds >= 0)) {
    throw new UsageError('');
  }
  const ingest = {
    production: flags.production,
    roll: flags.roll,
    wait: flags.wait,
    json: flags.json,
    settleSeconds,
  };
  if (flags.api) {
    const key = flags.key ?? process.env['RUSHES_API_KEY'];
    if (!key) throw new UsageError('--api needs --key <api key> (or RUSHES_API_KEY)');
    return ingestRemote(argument, { ...ingest, api: flags.api, key });
  }
  return ingestLocal(argument, ingest);
}

main().then(
  (status) => process.exit(status),
  (error: Error) => {
    if (error instanceof UsageError) {
      console.error(`${error.message ? `rushes: ${error.message}\n` : ''}${USAGE}`);
      process.exit(2);
    }
    const known = error instanceof IngestError || error instanceof RemoteError;
    console.error(known ? `rushes: ${error.message}` : error);
    process.exit(1);
  },
);
