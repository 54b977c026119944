/**
 * What an upload of a card has sent, written as it goes, so that after a reload, a crash or a
 * dropped connection the same card picks up where it stopped: finished files are not sent
 * again, nor the parts of a half-sent one (the api keeps an open upload and gives fresh part
 * URLs for it). Pure; the web app keeps journals in localStorage (apps/web/src/lib/browser-journals.ts), the CLI in files (apps/cli/src/remote/file-journals.ts).
 */

export interface JournalFile {
  path: string;
  size: number;
  lastModified: number;
}

export interface SentPart {
  partNumber: number;
  etag: string;
}

export interface UploadJournal {
  rollId: string;
  rollName: string;
  files: JournalFile[];
  /** Paths of files the api has assembled. */
  finished: string[];
  /** The parts sent of unfinished files, by path, with the upload they belong to. */
  parts: Record<string, { uploadId: string; partSize: number; sent: SentPart[] }>;
  updatedAt: number;
}

export function newJournal(
  rollId: string,
  rollName: string,
  files: JournalFile[],
  now = Date.now(),
): UploadJournal {
  return { rollId, rollName, files, finished: [], parts: {}, updatedAt: now };
}

/** Bytes of one file already on the server. */
export function sentOf(journal: UploadJournal, file: JournalFile): number {
  if (journal.finished.includes(file.path)) return file.size;
  const parts = journal.parts[file.path];
  if (!parts) return 0;
  return parts.sent.reduce(
    (bytes, part) =>
      bytes + Math.max(0, Math.min(parts.partSize, file.size - (part.partNumber - 1) * parts.partSize)),
    0,
  );
}

/** Bytes already on the server: finished files, and the sent parts of the others. */
export const sentBytes = (journal: UploadJournal): number =>
  journal.files.reduce((sum, file) => sum + sentOf(journal, file), 0);

export function withPart(
  journal: UploadJournal,
  path: string,
  uploadId: string,
  partSize: number,
  part: SentPart,
  now = Date.now(),
): UploadJournal {
  const current = journal.parts[path]?.uploadId === uploadId ? journal.parts[path]!.sent : [];
  return {
    ...journal,
    parts: { ...journal.parts, [path]: { uploadId, partSize, sent: [...current, part] } },
    updatedAt: now,
  };
}

/** Forgets the sent parts of `path`: they will be sent again (the store refused to assemble them). */
export function withoutParts(journal: UploadJournal, path: string, now = Date.now()): UploadJournal {
  const { [path]: _forgotten, ...parts } = journal.parts;
  return { ...journal, parts, updatedAt: now };
}

export function withFinished(journal: UploadJournal, path: string, now = Date.now()): UploadJournal {
  const { finished, ...rest } = withoutParts(journal, path, now);
  return { ...rest, finished: [...finished, path] };
}

/** The parts of `path` already sent in upload `uploadId` (none when the api started it over). */
export function sentParts(journal: UploadJournal, path: string, uploadId: string): SentPart[] {
  const parts = journal.parts[path];
  return parts?.uploadId === uploadId ? parts.sent : [];
}

/**
 * Why a chosen folder is not the card of an interrupted upload, or null when it is: the same
 * files, sizes and modification times — a changed file must not be completed from old parts.
 */
export function mismatch(journal: UploadJournal, rollName: string, files: JournalFile[]): string | null {
  if (rollName !== journal.rollName) {
    return `That folder is ${rollName}; the interrupted upload is ${journal.rollName}.`;
  }
  const chosen = new Map(files.map((f) => [f.path, f]));
  const missing = journal.files.filter((f) => !chosen.has(f.path));
  if (missing.length) {
    return `${missing.length} file(s) of ${journal.rollName} are not in that folder, e.g. ${missing[0]!.path}.`;
  }
  const changed = journal.files.find((f) => {
    const now = chosen.get(f.path)!;
    return now.size !== f.size || now.lastModified !== f.lastModified;
  });
  if (changed) {
    return `${changed.path} has changed since the upload started; discard the interrupted upload and start again.`;
  }
  if (files.length !== journal.files.length) {
    return `That folder holds ${files.length - journal.files.length} file(s) more than when the upload started.`;
  }
  return null;
}

/** Interrupted uploads of one production, by roll name. */
export interface Journals {
  all(): UploadJournal[];
  get(rollName: string): UploadJournal | undefined;
  put(journal: UploadJournal): void;
  remove(rollName: string): void;
}

/** Somewhere one text is kept: a localStorage item, a file. */
export interface TextSlot {
  read(): string | null;
  /** null forgets the text. */
  write(text: string | null): void;
}

/** The journals of one production kept as one JSON text; unreadable text counts as none. */
export function journalsIn(slot: TextSlot): Journals {
  const read = (): Record<string, UploadJournal> => {
    try {
      return JSON.parse(slot.read() ?? '{}') as Record<string, UploadJournal>;
    } catch {
      return {};
    }
  };
  const write = (journals: Record<string, UploadJournal>) =>
    slot.write(Object.keys(journals).length ? JSON.stringify(journals) : null);
  return {
    all: () => Object.values(read()),
    get: (rollName) => read()[rollName],
    put: (journal) => write({ ...read(), [journal.rollName]: journal }),
    remove: (rollName) => {
      const { [rollName]: _gone, ...rest } = read();
      write(rest);
    },
  };
}
