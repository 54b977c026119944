import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeImport,
  checkImportLocation,
  checkImportRoot,
  formatImportLocation,
  ImportLocationError,
  parseImportLocation,
  parseMountInfo,
  protectedPlaces,
  type ImportRootRule,
  type ProtectedLocation,
} from '../src/import-roots.ts';

const P1 = '11111111-1111-4111-8111-111111111111';
const P2 = '22222222-2222-4222-8222-222222222222';

function problem(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportLocationError) return error.code;
    throw error;
  }
  return undefined;
}

async function problemOf(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ImportLocationError) return error.code;
    throw error;
  }
  return undefined;
}

describe('parseImportLocation', () => {
  it('canonicalizes folders and S3 prefixes', () => {
    expect(formatImportLocation(parseImportLocation(' /mnt//cards/A001/ '))).toBe('/mnt/cards/A001');
    expect(formatImportLocation(parseImportLocation('s3://dailies/day01/A001'))).toBe(
      's3://dailies/day01/A001/',
    );
    expect(formatImportLocation(parseImportLocation('s3://dailies'))).toBe('s3://dailies/');
    expect(formatImportLocation(parseImportLocation('/'))).toBe('/');
  });

  it.each([
    ['relative', 'cards/A001'],
    ['climbing', '/mnt/cards/../../etc'],
    ['dot segment', '/mnt/./cards'],
    ['NUL', '/mnt/cards\u0000x'],
    ['newline', '/mnt/cards\nx'],
    ['empty', '   '],
    ['other scheme', 'file:///etc'],
    ['s3 climbing', 's3://bucket/../../x'],
    ['s3 dot', 's3://bucket/a/./b'],
    ['s3 empty segment', 's3://bucket//x'],
    ['s3 bad bucket', 's3://Bad_Bucket/x'],
    ['s3 dotted bucket climb', 's3://a..b/x'],
  ])('refuses a %s location', (_what, text) => {
    expect(problem(() => parseImportLocation(text))).toBe('BAD_LOCATION');
  });
});

describe('authorizeImport', () => {
  const roots: ImportRootRule[] = [
    { location: parseImportLocation('/mnt/cards'), productionIds: [] },
    { location: parseImportLocation('/srv/p1-only'), productionIds: [P1] },
    { location: parseImportLocation('s3://dailies/day01/'), productionIds: [P2] },
  ];
  const protectedList: ProtectedLocation[] = [
    { location: parseImportLocation('/srv/rushes/storage'), what: "the platform's object store" },
    { location: parseImportLocation('s3://platform/rushes/'), what: "the platform's object store" },
  ];
  const decide = (text: string, production = P1) =>
    problem(() => authorizeImport(parseImportLocation(text), production, roots, protectedList));

  it('allows a folder under a root open to every production', () => {
    expect(decide('/mnt/cards/A001')).toBeUndefined();
    expect(decide('/mnt/cards')).toBeUndefined();
  });

  it('refuses a sibling whose name only starts like a root', () => {
    expect(decide('/mnt/cards-other/A001')).toBe('OUTSIDE_IMPORT_ROOTS');
  });

  it('keeps a root bound to productions closed to the others', () => {
    expect(decide('/srv/p1-only/A001', P1)).toBeUndefined();
    expect(decide('/srv/p1-only/A001', P2)).toBe('OUTSIDE_IMPORT_ROOTS');
    expect(decide('s3://dailies/day01/A001', P2)).toBeUndefined();
    expect(decide('s3://dailies/day01/A001', P1)).toBe('OUTSIDE_IMPORT_ROOTS');
    expect(decide('s3://dailies/day02/A001', P2)).toBe('OUTSIDE_IMPORT_ROOTS');
  });

  it('refuses anything when no root is set', () => {
    expect(problem(() => authorizeImport(parseImportLocation('/mnt/cards/A'), P1, [], []))).toBe(
      'OUTSIDE_IMPORT_ROOTS',
    );
  });

  it('refuses the store, what is inside it and what holds it, even under a root', () => {
    const wide: ImportRootRule[] = [{ location: parseImportLocation('/srv'), productionIds: [] }];
    const refuse = (text: string) =>
      problem(() => authorizeImport(parseImportLocation(text), P1, wide, protectedList));
    expect(refuse('/srv/rushes/storage')).toBe('PROTECTED_LOCATION');
    expect(refuse('/srv/rushes/storage/productions')).toBe('PROTECTED_LOCATION');
    expect(refuse('/srv/rushes')).toBe('PROTECTED_LOCATION');
    expect(refuse('/srv/other')).toBeUndefined();
    expect(decide('s3://platform/rushes/productions/x')).toBe('PROTECTED_LOCATION');
    expect(decide('s3://platform/')).toBe('PROTECTED_LOCATION');
  });

  it('names the roots open to the production in the refusal', () => {
    try {
      authorizeImport(parseImportLocation('/home/x'), P1, roots, protectedList);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('/mnt/cards, /srv/p1-only');
      expect((error as Error).message).not.toContain('dailies');
    }
  });
});

describe('bind mounts', () => {
  // A bind mount of the store's productions folder at /mnt/cards/evil (same device 254:0).
  const mounts = parseMountInfo(
    [
      '25 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
      '45 25 254:0 /srv/rushes/storage/productions /mnt/cards/evil rw,relatime - ext4 /dev/vda rw',
      '46 25 0:5 / /mnt/cards/usb\\040card rw - vfat /dev/sdb1 rw',
    ].join('\n'),
  );
  const roots: ImportRootRule[] = [{ location: parseImportLocation('/mnt/cards'), productionIds: [] }];
  const protectedList: ProtectedLocation[] = [
    { location: parseImportLocation('/srv/rushes/storage'), what: "the platform's object store" },
  ];
  const decide = (text: string) =>
    problem(() => authorizeImport(parseImportLocation(text), P1, roots, protectedList, mounts));

  it('decodes escaped mount points', () => {
    expect(mounts[2]!.mountPoint).toBe('/mnt/cards/usb card');
  });

  it('refuses the mount itself, a folder inside it, and a folder holding it', () => {
    expect(decide('/mnt/cards/evil')).toBe('PROTECTED_LOCATION');
    expect(decide('/mnt/cards/evil/p1')).toBe('PROTECTED_LOCATION');
    expect(decide('/mnt/cards')).toBe('PROTECTED_LOCATION');
  });

  it('allows a card on another file system and a sibling folder', () => {
    expect(decide('/mnt/cards/usb card/A001')).toBeUndefined();
    expect(decide('/mnt/cards/A001')).toBeUndefined();
  });
});

describe('resolved on the file system', () => {
  let dir: string;
  let protectedList: ProtectedLocation[];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rushes-roots-'));
    await mkdir(path.join(dir, 'cards/A001'), { recursive: true });
    await mkdir(path.join(dir, 'store/productions'), { recursive: true });
    await mkdir(path.join(dir, 'secret'), { recursive: true });
    // A link inside the root that points out of it, and one into the store.
    await symlink(path.join(dir, 'secret'), path.join(dir, 'cards/outside'));
    await symlink(path.join(dir, 'store'), path.join(dir, 'cards/store-link'));
    await symlink(path.join(dir, 'cards'), path.join(dir, 'cards-link'));
    protectedList = await protectedPlaces({ storageDir: path.join(dir, 'store'), installDir: process.cwd() });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const roots = () => [{ location: path.join(dir, 'cards'), productionIds: [] }];

  it('allows a real folder under the root', async () => {
    const { location } = await checkImportLocation(path.join(dir, 'cards/A001'), P1, roots(), protectedList, {
      mustExist: true,
    });
    expect(formatImportLocation(location)).toBe(path.join(dir, 'cards/A001'));
  });

  it('judges a symlink by where it points', async () => {
    expect(
      await problemOf(() => checkImportLocation(path.join(dir, 'cards/outside'), P1, roots(), protectedList)),
    ).toBe('OUTSIDE_IMPORT_ROOTS');
    expect(
      await problemOf(() =>
        checkImportLocation(path.join(dir, 'cards/store-link'), P1, roots(), protectedList),
      ),
    ).toBe('PROTECTED_LOCATION');
  });

  it('resolves a root given through a symlink', async () => {
    const viaLink = [{ location: path.join(dir, 'cards-link'), productionIds: [] }];
    expect(
      await problemOf(() => checkImportLocation(path.join(dir, 'cards/A001'), P1, viaLink, protectedList)),
    ).toBeUndefined();
  });

  it("refuses /proc/self/cwd, the system's folders and the installation", async () => {
    const everything = [{ location: '/proc', productionIds: [] }];
    expect(await problemOf(() => checkImportLocation('/proc/self/cwd', P1, everything, protectedList))).toBe(
      'PROTECTED_LOCATION',
    );
    expect(await problemOf(() => checkImportLocation('/etc', P1, everything, protectedList))).toBe(
      'PROTECTED_LOCATION',
    );
    expect(await problemOf(() => checkImportLocation(process.cwd(), P1, everything, protectedList))).toBe(
      'PROTECTED_LOCATION',
    );
  });

  it('refuses a missing folder only when the reader must find it', async () => {
    const missing = path.join(dir, 'cards/NOPE');
    expect(await problemOf(() => checkImportLocation(missing, P1, roots(), protectedList))).toBeUndefined();
    await expect(
      checkImportLocation(missing, P1, roots(), protectedList, { mustExist: true }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a root that is / or is or lies in a protected place; one holding it is checked per import', async () => {
    expect(await problemOf(() => checkImportRoot('/', protectedList))).toBe('PROTECTED_LOCATION');
    expect(await problemOf(() => checkImportRoot(dir, protectedList))).toBeUndefined();
    expect(
      await problemOf(() =>
        checkImportLocation(
          path.join(dir, 'store'),
          P1,
          [{ location: dir, productionIds: [] }],
          protectedList,
        ),
      ),
    ).toBe('PROTECTED_LOCATION');
    expect(await problemOf(() => checkImportRoot(path.join(dir, 'store'), protectedList))).toBe(
      'PROTECTED_LOCATION',
    );
    expect(await problemOf(() => checkImportRoot(path.join(dir, 'store/productions'), protectedList))).toBe(
      'PROTECTED_LOCATION',
    );
    expect(await problemOf(() => checkImportRoot('/proc/self', protectedList))).toBe('PROTECTED_LOCATION');
    expect(await problemOf(() => checkImportRoot(path.join(dir, 'cards'), protectedList))).toBeUndefined();
  });
});
