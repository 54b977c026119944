/** Generated camera cards for pipeline tests (real ffmpeg, nothing downloaded). */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** A card: A001C001–C005 (H.264 MOV, timecode, 1 s), an MHL; C004's hash wrong, C005 truncated. */
export async function makeCard(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rushes-card-'));
  const names = [1, 2, 3, 4, 5].map((n) => `A001C00${n}_230512_R1AB.mov`);
  for (const [i, name] of names.entries()) {
    await exec('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=24:duration=1'],
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-timecode', `01:00:0${i}:00`, path.join(dir, name)],
    ]);
  }
  // C005 was cut short on the card; its MHL entry was made from what was there.
  await truncate(path.join(dir, names[4]!), 3000);
  const entries = [];
  for (const name of names) {
    const data = await readFile(path.join(dir, name));
    let md5 = createHash('md5').update(data).digest('hex');
    // C004's entry disagrees with its bytes.
    if (name.startsWith('A001C004')) md5 = md5.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    entries.push(`<hash><file>${name}</file><size>${data.length}</size><md5>${md5}</md5></hash>`);
  }
  await writeFile(
    path.join(dir, 'A001.mhl'),
    `<?xml version="1.0" encoding="UTF-8"?>\n<hashlist version="1.0">${entries.join('')}</hashlist>\n`,
  );
  return dir;
}

/** A card of `count` good clips (H.264 MOV with timecode), `seconds` long at `size`. */
export async function makeGoodCard(count: number, size = '640x360', seconds = 2): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rushes-card-'));
  for (let n = 1; n <= count; n += 1) {
    await exec('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25:duration=${seconds}`],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
      ...[
        '-timecode',
        `02:00:${String(n).padStart(2, '0')}:00`,
        path.join(dir, `B001C${String(n).padStart(3, '0')}_231001_R2CD.mov`),
      ],
    ]);
  }
  return dir;
}
