'use client';

import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useClient } from 'urql';
import { bytes, clock } from '../../../lib/format.ts';
import {
  cardFiles,
  describe,
  isManifest,
  uploadCard,
  type CardFile,
  type Progress,
} from '../../../lib/upload.ts';
import { mismatch, sentBytes, type Journals, type UploadJournal } from '@rushes/upload-client/journal';
import { browserJournals } from '../../../lib/browser-journals.ts';

/** Every file under a dropped directory entry, with its path from the dropped folder. */
async function filesOf(entry: FileSystemEntry, prefix = ''): Promise<{ file: File; relativePath: string }[]> {
  const path = `${prefix}${entry.name}`;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    return [{ file, relativePath: path }];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) break;
    children.push(...batch);
  }
  return (await Promise.all(children.map((child) => filesOf(child, `${path}/`)))).flat();
}

/** Drop a card folder (or choose one): it becomes a roll, uploaded with progress, speed and ETA. */
export function CardUpload({ productionId, onDone }: { productionId: string; onDone: () => void }) {
  const client = useClient();
  const input = useRef<HTMLInputElement>(null);
  const [card, setCard] = useState<{ rollName: string; files: CardFile[] } | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [started, setStarted] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [journals, setJournals] = useState<Journals | null>(null);
  const [interrupted, setInterrupted] = useState<UploadJournal[]>([]);
  /** The last card sent, said after its upload ends (a small card is sent in a blink). */
  const [sent, setSent] = useState<{ rollName: string; files: number; bytes: number } | null>(null);

  // Uploads a reload interrupted, read once the page runs in the browser.
  useEffect(() => {
    const kept = browserJournals(productionId);
    setJournals(kept);
    setInterrupted(kept.all());
  }, [productionId]);

  // Leaving the page stops the upload: ask first.
  useEffect(() => {
    if (!busy) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [busy]);

  async function start(picked: { file: File; relativePath: string }[]) {
    if (!journals) return;
    if (busy) {
      setError(`Roll ${card?.rollName ?? ''} is still uploading; drop the next card when it is done.`);
      return;
    }
    const chosen = cardFiles(picked);
    if (chosen.files.length === 0) {
      setError('That folder holds no files.');
      return;
    }
    const earlier = journals.get(chosen.rollName);
    const why = earlier && mismatch(earlier, chosen.rollName, chosen.files.map(describe));
    if (why) {
      setError(`${why} Choose the same folder to resume, or discard the interrupted upload.`);
      return;
    }
    setCard(chosen);
    setSent(null);
    setError(null);
    setBusy(true);
    setStarted(Date.now());
    try {
      await uploadCard(client, productionId, chosen.rollName, chosen.files, setProgress, journals);
      setSent({
        rollName: chosen.rollName,
        files: chosen.files.length,
        bytes: chosen.files.reduce((sum, f) => sum + f.file.size, 0),
      });
      setCard(null);
      setProgress(null);
      setError(null);
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
      setInterrupted(journals.all());
      if (input.current) input.current.value = '';
    }
  }

  async function drop(event: DragEvent) {
    event.preventDefault();
    const entries = [...event.dataTransfer.items]
      .map((item) => item.webkitGetAsEntry())
      .filter((e) => e !== null);
    const folder = entries.find((e) => e.isDirectory);
    if (!folder) {
      setError('Drop the card’s folder, not single files.');
      return;
    }
    await start(await filesOf(folder));
  }

  function discard(rollName: string) {
    journals?.remove(rollName);
    setInterrupted(journals?.all() ?? []);
  }

  const seconds = (Date.now() - started) / 1000;
  const speed = progress && seconds > 0 ? (progress.done - progress.alreadySent) / seconds : 0;
  const manifests = card?.files.filter((f) => isManifest(f.path)) ?? [];
  const waiting = interrupted.filter((j) => !(busy && j.rollName === card?.rollName));

  return (
    <div
      className="card dropzone"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => void drop(e)}
      aria-label="Upload a card"
      role="region"
    >
      <label>
        Card folder
        <input
          ref={input}
          type="file"
          // @ts-expect-error -- non-standard, supported by every browser we target
          webkitdirectory=""
          multiple
          disabled={busy || !journals}
          onChange={(e) =>
            void start(
              [...(e.target.files ?? [])].map((file) => ({ file, relativePath: file.webkitRelativePath })),
            )
          }
        />
      </label>
      <p className="muted">
        Drop a camera card or sound roll folder here; it becomes a roll named after the folder.
      </p>
      {waiting.map((journal) => (
        <div key={journal.rollName} className="interrupted" role="status" data-testid="interrupted-upload">
          <p>
            The upload of roll <strong className="mono">{journal.rollName}</strong> stopped at{' '}
            {bytes(sentBytes(journal))} of {bytes(journal.files.reduce((sum, f) => sum + f.size, 0))} (
            {journal.finished.length} of {journal.files.length} files). Choose or drop the same folder to
            resume; what was sent is not sent again.
          </p>
          <button type="button" className="link" onClick={() => discard(journal.rollName)} disabled={busy}>
            Discard
          </button>
        </div>
      ))}
      {card ? (
        <div className="upload" aria-live="polite">
          <p>
            Roll <strong className="mono">{card.rollName}</strong>: {card.files.length} files,{' '}
            {bytes(card.files.reduce((s, f) => s + f.file.size, 0))}
            {manifests.length
              ? ` · checked against ${manifests.map((m) => m.path).join(', ')}`
              : ' · no MHL on this card'}
          </p>
          {progress ? (
            <>
              <label>
                {progress.file}
                <progress max={progress.fileTotal} value={progress.fileDone} />
              </label>
              <label>
                Total {bytes(progress.done)} of {bytes(progress.total)} · {bytes(speed)}/s · ETA{' '}
                {speed > 0 ? clock((progress.total - progress.done) / speed) : '—'}
                <progress max={progress.total} value={progress.done} aria-label="Total upload progress" />
              </label>
            </>
          ) : null}
        </div>
      ) : null}
      {sent && !card ? (
        <p role="status">
          Roll <strong className="mono">{sent.rollName}</strong>: {sent.files} files, {bytes(sent.bytes)}{' '}
          uploaded; the workers verify and render it now.
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
