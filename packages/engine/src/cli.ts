#!/usr/bin/env node
/**
 * rushes-engine: the media engine from a shell.
 *
 *   rushes-engine probe <file|dir> [--json]
 *   rushes-engine validate <file> [--json]
 *   rushes-engine hash <file> [--algo xxh64,md5] [--json]
 *   rushes-engine verify <dir> [--json]           legacy .mhl files or an ascmhl/ history
 *   rushes-engine mhl create <dir> [--algo xxh64] [--json]
 *   rushes-engine read <sidecar> [--rate fps]     MHL (v1, v2, chain), CDL/CC/CCC, ALE, EDL, OTIO → JSON
 *   rushes-engine proxy <file|dir> --profile <profile id> --out <dir>
 *                 [--look file.cdl] [--input-colorspace <id>] [--max-width n] [--burn-ins list]
 *   rushes-engine images <file|dir> --out <dir> [--look file.cdl] [--input-colorspace <id>]
 *   rushes-engine colorspaces [--json]
 *
 * Exit status: 0 when everything is fine, 1 when a check failed, 2 on a usage error.
 * With --json, stdout holds one JSON document, also on failure: `{"error":{"code","message"}}`.
 * The process exits only once stdout has drained, so a pipe to a slow reader gets all of it.
 */
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decideColor } from '@rushes/schema/color';
import type { NormalizedClipMetadata } from '@rushes/schema/metadata';
import { DEFAULT_PROXY_PROFILE } from '@rushes/schema/profiles';
import { Engine } from './engine.ts';
import type { ProbeResult } from './probe/probe.ts';
import { findSequences } from './sequence/find.ts';
import { parseAlgorithms, type HashAlgorithm } from './hash/algorithms.ts';
import { hashFile } from './hash/hash-file.ts';
import { parseMhlV1 } from './manifest/ascmhl-v1.ts';
import { parseChain, parseMhlV2 } from './manifest/ascmhl-v2.ts';
import { isMhlV2Algorithm, MHL_V2_ALGORITHMS } from './manifest/ascmhl-v2.ts';
import { createGeneration } from './manifest/create.ts';
import { verifyFolder } from './manifest/verify.ts';
import { decodeXml, ManifestError } from './manifest/xml.ts';
import { looksLikeAle, readAle } from './sidecar/ale.ts';
import { looksLikeEdl, parseEdl } from './interchange/edl.ts';
import { looksLikeOtio, parseOtio } from './interchange/otio.ts';
import { parseFrameRate } from '@rushes/timecode';
import { parseCdl } from './sidecar/cdl.ts';
import { COLORSPACES, OUTPUT_TRANSFORM, isColorspaceId } from './color/colorspaces.ts';
import type { ColorChain } from './color/color-filters.ts';
import { DEFAULT_IMAGES } from './render/plan.ts';
import { isProxyProfileId, PROXY_PROFILE_IDS, resolveProfile, type BurnIns } from './render/profiles.ts';
import type { RenderResult } from './render/render.ts';
import { renderSourceFrom, type RenderSource } from './render/source.ts';

/** Recognizes a sidecar by its content, not its extension. */
function readSidecar(bytes: Buffer, rate?: string): unknown {
  const head = decodeXml(bytes).slice(0, 4000);
  if (/<ascmhldirectory/.test(head)) return parseChain(bytes);
  if (/<hashlist[^>]*version\s*=\s*["']2/.test(head)) return parseMhlV2(bytes);
  if (/<hashlist/.test(head)) return parseMhlV1(bytes);
  if (/<(ColorDecisionList|ColorCorrectionCollection|ColorCorrection)\b/.test(head)) return parseCdl(bytes);
  // Text interchange: UTF-8, or Latin-1 as older NLEs write EDLs.
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = bytes.toString('latin1');
  }
  if (looksLikeAle(text)) return readAle(text);
  if (looksLikeOtio(text)) return parseOtio(text);
  if (looksLikeEdl(text)) return parseEdl(text, rate ? { rate: parseFrameRate(rate, false) } : {});
  return undefined;
}

const USAGE = `usage:
  rushes-engine probe <file|dir> [--json]
  rushes-engine validate <file> [--json]
  rushes-engine hash <file> [--algo xxh64,md5] [--json]
  rushes-engine verify <dir> [--json]
  rushes-engine mhl create <dir> [--algo xxh64] [--json]
  rushes-engine read <sidecar> [--rate <fps>] [--json]   --rate counts an EDL's timecodes in frames
  rushes-engine proxy <file|sequence dir> --profile ${PROXY_PROFILE_IDS.join('|')} --out <dir>
                [--look file.cdl] [--input-colorspace <id>|none] [--max-width <px>]
                [--burn-ins timecode,clip,reel,counter|none] [--json]
  rushes-engine images <file|sequence dir> --out <dir> [--look file.cdl] [--input-colorspace <id>|none] [--json]
  rushes-engine colorspaces [--json]`;

class UsageError extends Error {}

/** A command line parseArgs refuses; reported by main(), in JSON when --json was given. */
let argumentError: UsageError | undefined;

const { values: flags, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        algo: { type: 'string' },
        profile: { type: 'string' },
        out: { type: 'string' },
        look: { type: 'string' },
        'input-colorspace': { type: 'string' },
        'max-width': { type: 'string' },
        'burn-ins': { type: 'string' },
        rate: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    argumentError = new UsageError((error as Error).message);
    return { values: { json: process.argv.includes('--json') }, positionals: [] } as never;
  }
})();

const out = (value: unknown, human: () => string) =>
  console.log(flags.json ? JSON.stringify(value, null, 2) : human());

/** A progress line on stderr when a person is watching. */
function progress(label: string) {
  if (!process.stderr.isTTY || flags.json) return () => {};
  return (done: number, total: number) => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : 0;
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    if (done >= total) process.stderr.write('\n');
  };
}

function describe(metadata: NormalizedClipMetadata): string {
  const lines: string[] = [];
  for (const [group, fields] of Object.entries(metadata)) {
    const entries = Object.entries(
      fields as Record<string, { value: unknown; source: string; conflicts?: unknown[] }>,
    );
    if (entries.length === 0) continue;
    lines.push(`${group}`);
    for (const [name, f] of entries) {
      const value = typeof f.value === 'object' ? JSON.stringify(f.value) : String(f.value);
      lines.push(
        `  ${name.padEnd(20)} ${value}  (${f.source}${f.conflicts ? `; ${f.conflicts.length} conflicting` : ''})`,
      );
    }
  }
  return lines.join('\n');
}

async function filesIn(target: string): Promise<string[]> {
  if (!(await stat(target)).isDirectory()) return [target];
  const found: string[] = [];
  for (const entry of await readdir(target, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && !entry.name.startsWith('.')) found.push(path.join(entry.parentPath, entry.name));
  }
  return found.sort();
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

/** The source to render: a media file, or the first image sequence in a folder. */
async function renderSource(engine: Engine, target: string): Promise<RenderSource> {
  if ((await stat(target)).isDirectory()) {
    const names = (await filesIn(target)).map((f) => path.relative(target, f));
    const sequence = findSequences(names).sequences[0];
    if (!sequence) throw new UsageError(`${target} holds no numbered image sequence`);
    const { metadata } = await engine.probeSequence(target, sequence);
    return renderSourceFrom(metadata, { kind: 'sequence', folder: target, sequence }, sequence.prefix);
  }
  const { metadata } = await engine.probe(target);
  return renderSourceFrom(metadata, { kind: 'file', path: target }, path.parse(target).name);
}

/**
 * The colour policy (decideColor) with --input-colorspace and --look as the clip's own settings
 * over the probed encoding; `--input-colorspace none` ignores the probed encoding (as shot).
 */
async function colorChain(source: RenderSource): Promise<ColorChain | undefined> {
  const asked = flags['input-colorspace'];
  if (asked && asked !== 'none' && !isColorspaceId(asked))
    throw new UsageError(`unknown colour space "${asked}"; see rushes-engine colorspaces`);
  const look = flags.look ? parseCdl(await readFile(flags.look)).corrections[0] : undefined;
  if (flags.look && !look) throw new UsageError(`${flags.look} holds no colour correction`);
  const camera =
    asked !== 'none' && source.colorspace ? { acesInputTransform: { value: source.colorspace } } : undefined;
  const clip = {
    inputColorspace: asked && asked !== 'none' && isColorspaceId(asked) ? asked : undefined,
    look,
  };
  return decideColor({ camera, clip }).chain ?? undefined;
}

const BURN_IN_NAMES: Record<string, keyof BurnIns> = {
  timecode: 'timecode',
  clip: 'clipName',
  reel: 'reel',
  counter: 'frameCounter',
};

function burnInsOption(): Partial<BurnIns> | undefined {
  const value = flags['burn-ins'];
  if (value === undefined) return undefined;
  const wanted = value === 'none' ? [] : value.split(',').map((v) => v.trim());
  const unknown = wanted.filter((w) => !BURN_IN_NAMES[w]);
  if (unknown.length)
    throw new UsageError(`unknown burn-in "${unknown[0]}" (timecode, clip, reel, counter or none)`);
  return Object.fromEntries(Object.entries(BURN_IN_NAMES).map(([name, key]) => [key, wanted.includes(name)]));
}

async function renderCommand(target: string, makeProxy: boolean): Promise<number> {
  const outDir = need(flags.out, '--out <dir>');
  const profileId = flags.profile ?? DEFAULT_PROXY_PROFILE;
  if (makeProxy && !isProxyProfileId(profileId))
    throw new UsageError(`unknown profile "${profileId}" (${PROXY_PROFILE_IDS.join(', ')})`);
  const maxWidth = flags['max-width'] === undefined ? undefined : Number(flags['max-width']);
  const engine = await Engine.create();
  try {
    const source = await renderSource(engine, target);
    const color = await colorChain(source);
    const proxy =
      makeProxy && isProxyProfileId(profileId)
        ? resolveProfile(profileId, { maxWidth, burnIns: burnInsOption() })
        : undefined;
    await mkdir(outDir, { recursive: true });
    const report = progress(proxy ? `${proxy.id} proxy` : 'images');
    const started = Date.now();
    const result: RenderResult = await engine.render(
      source,
      { proxy, images: makeProxy ? undefined : DEFAULT_IMAGES, color },
      { outDir, baseName: source.clipName, onProgress: (f) => report(Math.round(f * 100), 100) },
    );
    const seconds = (Date.now() - started) / 1000;
    const summary = {
      source: target,
      color: color ? `${color.input}${color.look ? ' + look' : ''} → ${OUTPUT_TRANSFORM}` : 'as shot',
      seconds,
      realtime: source.durationSeconds / seconds,
      files: result.files,
    };
    out(summary, () =>
      [
        ...result.files.map((f) => `${f.kind.padEnd(12)} ${f.path}  (${f.bytes} bytes)`),
        `colour: ${summary.color}; ${seconds.toFixed(1)} s, ${summary.realtime.toFixed(2)}× real time`,
      ].join('\n'),
    );
    return 0;
  } finally {
    await engine.close();
  }
}

/** `--algo` as a list of algorithms; an unknown name is a usage error. */
function algorithmsOption(fallback: string): HashAlgorithm[] {
  try {
    return parseAlgorithms(flags.algo ?? fallback);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function main(): Promise<number> {
  if (argumentError) throw argumentError;
  const [command, ...rest] = positionals;
  if (flags.help || !command) {
    console.log(USAGE);
    return flags.help ? 0 : 2;
  }
  switch (command) {
    case 'probe': {
      const target = need(rest[0], '<file|dir>');
      const engine = await Engine.create();
      type Outcome = ProbeResult | { file: string; error: { code: string; message: string } };
      const attempt = async (file: string, work: () => Promise<ProbeResult>): Promise<Outcome> => {
        try {
          return await work();
        } catch (error) {
          return {
            file,
            error: { code: (error as { code?: string }).code ?? 'ERROR', message: (error as Error).message },
          };
        }
      };
      try {
        const results: Outcome[] = [];
        if ((await stat(target)).isDirectory()) {
          // A numbered image sequence is one clip; everything else is probed file by file.
          const names = (await filesIn(target)).map((f) => path.relative(target, f));
          const { sequences, singles } = findSequences(names);
          for (const sequence of sequences) {
            results.push(
              await attempt(path.join(target, sequence.pattern), () =>
                engine.probeSequence(target, sequence),
              ),
            );
          }
          for (const name of singles)
            results.push(await attempt(path.join(target, name), () => engine.probe(path.join(target, name))));
        } else {
          results.push(await attempt(target, () => engine.probe(target)));
        }
        out(results, () =>
          results
            .map((r) =>
              'error' in r
                ? `${r.file}\n  ${r.error.code}: ${r.error.message}`
                : `${r.file}\n${describe(r.metadata)}`,
            )
            .join('\n\n'),
        );
        return results.some((r) => 'error' in r) ? 1 : 0;
      } finally {
        await engine.close();
      }
    }
    case 'validate': {
      const engine = await Engine.create();
      try {
        const result = await engine.validate(need(rest[0], '<file>'));
        out(result, () => (result.ok ? `ok: ${result.message}` : `${result.code}: ${result.message}`));
        return result.ok ? 0 : 1;
      } finally {
        await engine.close();
      }
    }
    case 'hash': {
      const file = need(rest[0], '<file>');
      const algorithms = algorithmsOption('xxh64');
      const report = progress('hashing');
      const digests = await hashFile(file, algorithms, {
        onProgress: (bytes, total) => report(bytes, total),
      });
      out({ file, ...digests }, () => algorithms.map((a) => `${a}  ${digests[a]}  ${file}`).join('\n'));
      return 0;
    }
    case 'verify': {
      const report = await verifyFolder(need(rest[0], '<dir>'), { onProgress: progress('verifying') });
      out(report, () =>
        [
          `${report.root}: ${report.kind === 'none' ? 'no manifest found' : report.manifests.join(', ')}`,
          ...report.files
            .filter((f) => f.status !== 'ok')
            .map((f) => `  ${f.status.toUpperCase().padEnd(13)} ${f.path}: ${f.message}`),
          ...report.problems.map((p) => `  UNREADABLE    ${p.message}`),
          ...report.chain
            .filter((c) => !c.ok)
            .map((c) => `  CHAIN         ${c.generation}: C4 does not match the chain file`),
          Object.entries(report.counts)
            .map(([k, v]) => `${v} ${k}`)
            .join(', '),
          report.ok ? 'VERIFIED' : 'FAILED',
        ].join('\n'),
      );
      return report.ok ? 0 : 1;
    }
    case 'mhl': {
      if (rest[0] !== 'create') throw new UsageError(`unknown mhl command "${rest[0] ?? ''}"`);
      const algorithms = algorithmsOption('xxh64');
      const unwritable = algorithms.find((a) => !isMhlV2Algorithm(a));
      if (unwritable)
        throw new UsageError(`ASC MHL v2 cannot record ${unwritable}; use ${MHL_V2_ALGORITHMS.join(', ')}`);
      const created = await createGeneration(need(rest[1], '<dir>'), {
        algorithms,
        onProgress: progress('hashing'),
      });
      out(
        created,
        () =>
          `${created.file}: generation ${created.sequence}, ${created.entries.length} files${created.failed.length ? `, ${created.failed.length} FAILED: ${created.failed.join(', ')}` : ''}`,
      );
      return created.failed.length ? 1 : 0;
    }
    case 'read': {
      const file = need(rest[0], '<sidecar>');
      const parsed = readSidecar(await readFile(file), flags.rate);
      if (!parsed)
        throw new UsageError(
          `${file}: not a sidecar this version reads (ASC MHL v1/v2 and chain, ASC CDL, ALE, CMX 3600 EDL, OTIO)`,
        );
      console.log(JSON.stringify(parsed, null, 2));
      return 0;
    }
    case 'proxy':
      return renderCommand(need(rest[0], '<file|dir>'), true);
    case 'images':
      return renderCommand(need(rest[0], '<file|dir>'), false);
    case 'colorspaces':
      out(COLORSPACES, () =>
        [...COLORSPACES.map((c) => `${c.id.padEnd(32)} ${c.name}`), `output: ${OUTPUT_TRANSFORM}`].join('\n'),
      );
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** The stable code of a failure: the engine's own, or one for a file-system or manifest error. */
export function errorCode(error: unknown): string {
  if (error instanceof UsageError) return 'USAGE';
  if (error instanceof ManifestError) return 'INVALID_MANIFEST';
  const code = (error as { code?: unknown }).code;
  const system: Record<string, string> = {
    ENOENT: 'NOT_FOUND',
    ENOTDIR: 'NOT_FOUND',
    EACCES: 'PERMISSION_DENIED',
    EPERM: 'PERMISSION_DENIED',
    EISDIR: 'IS_A_DIRECTORY',
  };
  if (typeof code === 'string') return system[code] ?? code;
  return 'ERROR';
}

/**
 * Exits once stdout and stderr have drained. process.exit() drops whatever a pipe has not taken
 * yet (a pipe holds 64 KiB): a slow reader would get a cut document and status 0.
 */
async function exitWhenDrained(status: number): Promise<never> {
  await Promise.all(
    [process.stdout, process.stderr].map(
      (stream) =>
        new Promise<void>((resolve) => {
          if (stream.writableLength === 0 || stream.destroyed) return resolve();
          stream.once('drain', resolve);
          stream.once('close', resolve);
          stream.once('error', () => resolve());
        }),
    ),
  );
  process.exit(status);
}

// A reader that goes away (`| head`) is not a failure of ours: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
}

main().then(
  (status) => exitWhenDrained(status),
  (error: Error) => {
    const status = error instanceof UsageError ? 2 : 1;
    const code = errorCode(error);
    if (flags.json) {
      console.log(JSON.stringify({ error: { code, message: error.message } }, null, 2));
    } else if (error instanceof UsageError) {
      console.error(`${error.message}\n${USAGE}`);
    } else {
      console.error(code === 'ERROR' ? error.message : `${code}: ${error.message}`);
    }
    return exitWhenDrained(status);
  },
);
