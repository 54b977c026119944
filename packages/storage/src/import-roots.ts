/**
 * Import roots: the only server folders and S3 prefixes a card may be imported from through the
 * api (`importRoll`). An administrator opens a root for every production or only some; the
 * platform's own store, its data folder, its installation and the system's folders are never
 * importable, whatever the roots say. The api checks a location when the import is asked for,
 * and the worker checks it again — resolved on its own machine — right before it reads.
 *
 * Folders are compared after `realpath` (symlinks, `/proc/self/cwd`, bind mounts show their real
 * place), so a link that points elsewhere is judged by where it points. Everything here is pure
 * except `resolveLocation`, which asks the file system.
 */
import { readFile, realpath as fsRealpath } from 'node:fs/promises';
import path from 'node:path';

export type ImportLocation =
  | { kind: 'folder'; path: string }
  /** `prefix` is '' (the whole bucket) or ends with '/'. */
  | { kind: 's3'; bucket: string; prefix: string };

export type ImportLocationProblem =
  /** Not an absolute folder or an s3://bucket/prefix, or it tries to climb (`..`). */
  | 'BAD_LOCATION'
  /** Under no import root open to the production. */
  | 'OUTSIDE_IMPORT_ROOTS'
  /** The platform's own data or a system folder (or a place that holds them). */
  | 'PROTECTED_LOCATION';

export class ImportLocationError extends Error {
  override name = 'ImportLocationError';
  readonly code: ImportLocationProblem;
  constructor(code: ImportLocationProblem, message: string) {
    super(message);
    this.code = code;
  }
}

/** Folders of the system no card lives in; reading them discloses the machine. */
export const SYSTEM_FOLDERS: readonly string[] = ['/proc', '/sys', '/dev', '/run', '/boot', '/etc'];

const S3_LOCATION = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/** Pure: the segments of a path or prefix, refusing `.`, `..` and empty ones in the middle. */
function segmentsOf(text: string, what: string): string[] {
  const parts = text.split('/');
  if (parts.at(-1) === '') parts.pop();
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..')
      throw new ImportLocationError(
        'BAD_LOCATION',
        `"${what}" has an empty, "." or ".." segment: give the location as a plain path.`,
      );
  }
  return parts;
}

/**
 * Pure: a location as typed → its canonical form; ImportLocationError (BAD_LOCATION) for
 * anything else: relative paths, `..`/`.`/empty segments, control characters, other schemes.
 */
export function parseImportLocation(text: string): ImportLocation {
  const trimmed = text.trim();
  // eslint-disable-next-line no-control-regex
  if (trimmed === '' || /[\u0000-\u001f\u007f]/.test(trimmed))
    throw new ImportLocationError(
      'BAD_LOCATION',
      `"${text}" is empty or holds control characters: give an absolute folder path or s3://bucket/prefix.`,
    );
  if (trimmed.startsWith('s3://')) {
    const match = S3_LOCATION.exec(trimmed);
    if (!match || match[1]!.includes('..'))
      throw new ImportLocationError(
        'BAD_LOCATION',
        `"${text}" is not an s3://bucket/prefix location (bucket names are 3–63 lower-case letters, digits, "." and "-").`,
      );
    const rest = match[2] ?? '';
    if (rest.startsWith('/'))
      throw new ImportLocationError('BAD_LOCATION', `"${text}" has an empty segment after the bucket.`);
    const parts = rest === '' ? [] : segmentsOf(rest, text);
    return { kind: 's3', bucket: match[1]!, prefix: parts.length ? `${parts.join('/')}/` : '' };
  }
  if (!trimmed.startsWith('/'))
    throw new ImportLocationError(
      'BAD_LOCATION',
      `"${text}" is not a location the workers can import: give an absolute folder path or s3://bucket/prefix.`,
    );
  // Repeated slashes are harmless on POSIX; `.` and `..` are refused rather than resolved.
  const parts = segmentsOf(trimmed.replace(/\/{2,}/g, '/').slice(1), text);
  return { kind: 'folder', path: `/${parts.join('/')}` };
}

/** Pure: the canonical text of a location (what is stored and shown). */
export function formatImportLocation(location: ImportLocation): string {
  return location.kind === 's3' ? `s3://${location.bucket}/${location.prefix}` : location.path;
}

/** Pure: whether `inner` is `outer` or lies inside it. */
export function isWithin(inner: ImportLocation, outer: ImportLocation): boolean {
  if (inner.kind === 'folder' && outer.kind === 'folder') {
    return outer.path === '/' || inner.path === outer.path || inner.path.startsWith(`${outer.path}/`);
  }
  if (inner.kind === 's3' && outer.kind === 's3') {
    return inner.bucket === outer.bucket && inner.prefix.startsWith(outer.prefix);
  }
  return false;
}

const overlaps = (a: ImportLocation, b: ImportLocation) => isWithin(a, b) || isWithin(b, a);

export interface ImportRootRule {
  /** The root's canonical location (resolved where it could be). */
  location: ImportLocation;
  /** Productions it is open to; empty: every production. */
  productionIds: readonly string[];
}

/** The platform's own places: each is refused, and so is any location that holds one. */
export interface ProtectedLocation {
  location: ImportLocation;
  /** Said in the refusal, e.g. "the platform's object store". */
  what: string;
}

/** One line of `/proc/self/mountinfo`: which part (`root`) of which file system is seen where. */
export interface MountEntry {
  /** major:minor of the file system. */
  device: string;
  /** The folder of that file system mounted here (`/` unless a bind mount of a subfolder). */
  root: string;
  mountPoint: string;
}

/** Pure: the entries of a mountinfo text (fields per proc(5); `\040`-style escapes decoded). */
export function parseMountInfo(text: string): MountEntry[] {
  const unescape = (field: string) =>
    field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields.length >= 5)
    .map((fields) => ({ device: fields[2]!, root: unescape(fields[3]!), mountPoint: unescape(fields[4]!) }));
}

/**
 * Pure: a folder as (file system, path inside it) — the same place whatever bind mount it is
 * reached through — from the mount its path lies under (the longest, latest mount point).
 */
function physical(folder: string, mounts: readonly MountEntry[]): { device: string; path: string } {
  let best: MountEntry | undefined;
  for (const mount of mounts) {
    const inside =
      mount.mountPoint === '/' || folder === mount.mountPoint || folder.startsWith(`${mount.mountPoint}/`);
    if (inside && (!best || mount.mountPoint.length >= best.mountPoint.length)) best = mount;
  }
  if (!best) return { device: '', path: folder };
  const rest = best.mountPoint === '/' ? folder : folder.slice(best.mountPoint.length);
  return { device: best.device, path: path.posix.join(best.root, rest || '/') };
}

/**
 * Pure: whether a folder (or a mount inside it) reaches a protected folder through another
 * mount of the same file system — a bind mount that realpath cannot see through.
 */
function reachesThroughMounts(folder: string, place: string, mounts: readonly MountEntry[]): boolean {
  if (mounts.length === 0) return false;
  const target = physical(place, mounts);
  const within = (a: { device: string; path: string }, b: { device: string; path: string }) =>
    a.device === b.device && (b.path === '/' || a.path === b.path || a.path.startsWith(`${b.path}/`));
  const here = physical(folder, mounts);
  if (within(here, target) || within(target, here)) return true;
  // A mount below the folder that shows (part of) a protected folder.
  return mounts.some(
    (m) =>
      m.mountPoint.startsWith(`${folder === '/' ? '' : folder}/`) &&
      (within({ device: m.device, path: m.root }, target) ||
        within(target, { device: m.device, path: m.root })),
  );
}

/**
 * Pure: throws PROTECTED_LOCATION when `location` is, lies in or holds a protected place —
 * directly, or through a bind mount when `mounts` (this machine's mountinfo) is given.
 */
export function assertNotProtected(
  location: ImportLocation,
  protectedPlaces: readonly ProtectedLocation[],
  mounts: readonly MountEntry[] = [],
) {
  for (const place of protectedPlaces) {
    const throughMount =
      location.kind === 'folder' &&
      place.location.kind === 'folder' &&
      reachesThroughMounts(location.path, place.location.path, mounts);
    if (throughMount && !overlaps(location, place.location))
      throw new ImportLocationError(
        'PROTECTED_LOCATION',
        `${formatImportLocation(location)} reaches ${place.what} (${formatImportLocation(place.location)}) through a mount, which is never importable.`,
      );
    if (overlaps(location, place.location))
      throw new ImportLocationError(
        'PROTECTED_LOCATION',
        `${formatImportLocation(location)} ${isWithin(location, place.location) ? 'is inside' : 'holds'} ${place.what} (${formatImportLocation(place.location)}), which is never importable.`,
      );
  }
  if (location.kind === 'folder' && location.path === '/')
    throw new ImportLocationError('PROTECTED_LOCATION', 'The whole file system (/) is never importable.');
}

/**
 * Pure: the root that lets `productionId` import `location` (resolved); throws
 * PROTECTED_LOCATION or OUTSIDE_IMPORT_ROOTS otherwise.
 */
export function authorizeImport(
  location: ImportLocation,
  productionId: string,
  roots: readonly ImportRootRule[],
  protectedPlaces: readonly ProtectedLocation[],
  mounts: readonly MountEntry[] = [],
): ImportRootRule {
  assertNotProtected(location, protectedPlaces, mounts);
  const root = roots.find(
    (r) =>
      isWithin(location, r.location) &&
      (r.productionIds.length === 0 || r.productionIds.includes(productionId)),
  );
  if (!root) {
    const open = roots
      .filter((r) => r.productionIds.length === 0 || r.productionIds.includes(productionId))
      .map((r) => formatImportLocation(r.location));
    throw new ImportLocationError(
      'OUTSIDE_IMPORT_ROOTS',
      `${formatImportLocation(location)} is not under an import root open to this production (${
        open.length ? `open: ${open.join(', ')}` : 'none is open to it'
      }); an administrator adds import roots in Settings.`,
    );
  }
  return root;
}

/** The platform's own places as its settings give them (folders resolved by `resolveLocation`). */
export interface PlatformPlaces {
  /** The local store's folder (STORAGE_DRIVER=local). */
  storageDir?: string | undefined;
  /** The store's bucket and key prefix (STORAGE_DRIVER=s3). */
  s3?: { bucket: string; prefix: string } | undefined;
  /** The data folder of `npm start` (embedded database, local store, connection file). */
  dataDir?: string | undefined;
  /** The folder the platform runs from (its code and settings). */
  installDir?: string | undefined;
}

/** Folder → its real place when it exists (symlinks and `/proc/…/cwd` followed), else itself. */
export type Realpath = (folder: string) => Promise<string>;

/**
 * A location resolved on this machine: a folder through `realpath` — when it exists; with
 * `mustExist` a missing folder throws — and an S3 location as parsed.
 */
export async function resolveLocation(
  location: ImportLocation,
  options: { mustExist?: boolean; realpath?: Realpath } = {},
): Promise<ImportLocation> {
  if (location.kind === 's3') return location;
  try {
    return parseImportLocation(await (options.realpath ?? fsRealpath)(location.path));
  } catch (error) {
    if (error instanceof ImportLocationError) throw error;
    if (options.mustExist) throw error;
    return location;
  }
}

/** The protected places, resolved: the store, the data folder, the installation, the system's. */
export async function protectedPlaces(
  places: PlatformPlaces,
  realpath?: Realpath,
): Promise<ProtectedLocation[]> {
  const found: ProtectedLocation[] = [];
  const folder = async (dir: string | undefined, what: string) => {
    if (!dir) return;
    const location = parseImportLocation(path.resolve(dir));
    found.push({ location, what });
    const real = await resolveLocation(location, realpath ? { realpath } : {});
    if (formatImportLocation(real) !== formatImportLocation(location)) found.push({ location: real, what });
  };
  await folder(places.storageDir, "the platform's object store");
  await folder(places.dataDir, "the platform's data folder");
  await folder(places.installDir, "the platform's installation");
  for (const dir of SYSTEM_FOLDERS) await folder(dir, 'a system folder');
  if (places.s3) {
    const prefix = places.s3.prefix.replace(/^\/+/, '');
    found.push({
      location: {
        kind: 's3',
        bucket: places.s3.bucket,
        prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
      },
      what: "the platform's object store",
    });
  }
  return found;
}

/**
 * Resolves `text` on this machine and returns the root that allows it, with the resolved
 * location; ImportLocationError says why not. `mustExist` (the worker, about to read) refuses a
 * folder that is not there; the api may not see the workers' mounts and lets that pass.
 */
export async function checkImportLocation(
  text: string,
  productionId: string,
  roots: readonly { location: string; productionIds: readonly string[] }[],
  protectedList: readonly ProtectedLocation[],
  options: { mustExist?: boolean; realpath?: Realpath; mounts?: readonly MountEntry[] } = {},
): Promise<{ location: ImportLocation; root: ImportRootRule }> {
  const location = await resolveLocation(parseImportLocation(text), options);
  const rules: ImportRootRule[] = [];
  for (const root of roots) {
    const parsed = parseImportLocation(root.location);
    const resolved = await resolveLocation(parsed, options.realpath ? { realpath: options.realpath } : {});
    rules.push({ location: resolved, productionIds: root.productionIds });
  }
  return { location, root: authorizeImport(location, productionId, rules, protectedList, options.mounts) };
}

/**
 * An import root as an administrator adds it: parsed, resolved where it exists, and refused
 * when it is `/` or is or lies in a protected place. A root may hold one (`/srv` beside
 * `/srv/rushes`): each import under it is still checked, and one that reaches a protected place
 * is refused.
 */
export async function checkImportRoot(
  text: string,
  protectedList: readonly ProtectedLocation[],
  mounts: readonly MountEntry[] = [],
): Promise<ImportLocation> {
  const location = await resolveLocation(parseImportLocation(text));
  if (location.kind === 'folder' && location.path === '/')
    throw new ImportLocationError(
      'PROTECTED_LOCATION',
      'The whole file system (/) cannot be an import root.',
    );
  const inside = protectedList.filter((place) => isWithin(location, place.location));
  if (inside.length > 0) assertNotProtected(location, inside, mounts);
  // Through a bind mount: the root itself shows a protected place.
  for (const place of protectedList)
    if (!isWithin(place.location, location)) assertNotProtected(location, [place], mounts);
  return location;
}

/** This machine's mounts (Linux); none where there is no /proc. */
export async function readMounts(): Promise<MountEntry[]> {
  try {
    return parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8'));
  } catch {
    return [];
  }
}
