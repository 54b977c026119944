/** `rushes ingest <dir> --api <url> --key <key>`: a card through the api from any machine. */
import { apiClient, RemoteError } from '../remote/api-client.ts';
import { journalFolder } from '../remote/file-journals.ts';
import { formatBytes } from '../remote/progress.ts';
import { hashMismatches, remoteIngest, remoteRollState } from '../remote/remote-ingest.ts';
import type { IngestFlags } from './ingest-local.ts';
import { byteBar, printClips, waitForClips } from './report.ts';

export async function ingestRemote(
  dir: string,
  flags: IngestFlags & { api: string; key: string },
): Promise<number> {
  const api = apiClient(flags.api, flags.key);
  const bars = !flags.json;
  const result = await remoteIngest(api, {
    dir,
    productionCode: flags.production,
    rollName: flags.roll,
    journalFolder: journalFolder(),
    onBytes: byteBar(bars, 'uploading'),
  });
  const sent = result.files.filter((f) => !f.skipped);
  const bytes = sent.reduce((sum, f) => sum + f.size - f.resumedBytes, 0);
  const resumed = sent.reduce((sum, f) => sum + f.resumedBytes, 0);
  const states = async () => {
    const roll = await remoteRollState(api, result.rollId);
    if (roll.state === 'failed' && roll.clips.length === 0) {
      throw new RemoteError(
        `the server could not import the card: ${roll.errorMessage ?? 'no reason given'}`,
      );
    }
    return roll.clips;
  };
  const rows = flags.wait ? await waitForClips(states, bars) : await states();
  const mismatches = hashMismatches(result.files, rows);
  if (flags.json) {
    console.log(JSON.stringify({ ...result, clips: rows, mismatches }, null, 2));
  } else {
    const skipped = result.files.length - sent.length;
    console.log(
      `roll ${flags.roll} (${result.rollId}): ${result.files.length} files, ${formatBytes(bytes)} sent` +
        (resumed ? `, ${formatBytes(resumed)} resumed from an interrupted run` : '') +
        (skipped ? `, ${skipped} already on the server` : '') +
        (flags.wait ? '' : '; the server is importing it'),
    );
    printClips(rows);
    for (const line of mismatches) console.log(`  MISMATCH   ${line}`);
  }
  const ok = mismatches.length === 0 && (!flags.wait || rows.every((r) => r.state === 'ready'));
  return ok ? 0 : 1;
}
