/**
 * GET /exports/rolls/<id>.ale[?rate=29.97DF] | .csv | .zip?profile=review[&clips=…] — served from
 * signed links only (the rate and the clips are signed with the link).
 * The zip streams each proxy from the store into the response one after another: no temp
 * file, memory bounded by one entry's buffers; proxies are stored, not deflated (already
 * compressed video).
 */
import { once } from 'node:events';
import {
  DEFAULT_PROXY_PROFILE,
  isProxyProfileId,
  proxyRenditionName,
  type ProxyProfileId,
} from '@rushes/schema/profiles';
import { parseColorPipeline } from '@rushes/schema/render-settings';
import { clipsOfRoll } from '@rushes/data/clips';
import { readyRenditionsOfRoll } from '@rushes/data/renditions';
import { findRollWithProduction } from '@rushes/data/rolls';
import { ZipArchive } from 'archiver';
import type { Express, Response } from 'express';
import type { ApiDeps } from '../context.ts';
import { checkExportLink, unpackIds, type ExportFormat } from './links.ts';
import { AleRateError, rollAle, rollCsv } from './roll-export.ts';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Pure: a file name safe in a Content-Disposition header and in a zip. */
export function safeFileName(name: string): string {
  return (
    name
      .replace(/[^\w.-]+/g, '_')
      .replace(/^\.+/, '_')
      .slice(0, 200) || 'file'
  );
}

function refuse(res: Response, status: number, message: string) {
  res.status(status).type('text/plain').send(message);
}

/** The one export route; its links are minted only by gated fields (auth/gate.ts `routes`). */
export const EXPORT_ROUTE = new RegExp(`^/exports/rolls/(${UUID})\\.(ale|csv|zip)$`);

export function mountExports(app: Express, deps: ApiDeps): void {
  app.get(EXPORT_ROUTE, async (req, res, next) => {
    try {
      const rollId = req.params[0]!;
      const format = req.params[1] as ExportFormat;
      const check = checkExportLink(deps.signingSecret, rollId, format, req.query);
      if (check !== 'ok') {
        refuse(
          res,
          403,
          check === 'expired'
            ? 'This link has expired; ask the api for a new one.'
            : 'This link is not valid.',
        );
        return;
      }
      const roll = await findRollWithProduction(deps.db, rollId);
      if (!roll) {
        refuse(res, 404, 'This roll no longer exists.');
        return;
      }
      const base = safeFileName(`${roll.production.code}_${roll.roll.name}`);
      if (format === 'zip') {
        const selection = typeof req.query['clips'] === 'string' ? unpackIds(req.query['clips']) : undefined;
        const profile = String(req.query['profile'] ?? DEFAULT_PROXY_PROFILE);
        if (!isProxyProfileId(profile)) {
          refuse(res, 404, `There is no proxy profile "${profile}".`);
          return;
        }
        await streamProxies(deps, res, rollId, profile, base, selection);
        return;
      }
      const rows = await clipsOfRoll(deps.db, rollId);
      const color = parseColorPipeline(roll.production.colorPipeline);
      let body: string;
      try {
        const rate = typeof req.query['rate'] === 'string' ? req.query['rate'] : undefined;
        body = format === 'ale' ? rollAle(rows, color, rate) : rollCsv(rows, color);
      } catch (error) {
        if (!(error instanceof AleRateError)) throw error;
        refuse(res, 409, error.message);
        return;
      }
      res
        .status(200)
        .type(format === 'ale' ? 'text/plain; charset=utf-8' : 'text/csv; charset=utf-8')
        .attachment(`${base}.${format}`)
        .send(body);
    } catch (error) {
      next(error);
    }
  });
}

async function streamProxies(
  deps: ApiDeps,
  res: Response,
  rollId: string,
  profile: ProxyProfileId,
  base: string,
  selection?: string[],
) {
  const entries = await readyRenditionsOfRoll(deps.db, rollId, proxyRenditionName(profile), selection);
  if (entries.length === 0) {
    refuse(
      res,
      404,
      selection
        ? `None of the ${selection.length} selected clips has a ${profile} proxy ready yet.`
        : `No ${profile} proxies are ready in this roll yet.`,
    );
    return;
  }
  const archive = new ZipArchive({ store: true });
  res
    .status(200)
    .type('application/zip')
    .attachment(`${base}_${safeFileName(profile)}${selection ? `_${entries.length}_clips` : ''}.zip`);
  archive.on('warning', (error: Error) => deps.log.warn({ err: error }, 'zip warning'));
  archive.on('error', (error: Error) => res.destroy(error));
  archive.pipe(res);
  const names = new Set<string>();
  for (const entry of entries) {
    if (!entry.objectKey || res.destroyed) continue;
    const extension = entry.objectKey.match(/\.[A-Za-z0-9]+$/)?.[0] ?? '';
    const stem = safeFileName(entry.fileName.replace(/\.[^.]+$/, ''));
    let name = `${stem}${extension}`;
    for (let n = 2; names.has(name); n += 1) name = `${stem}_${n}${extension}`;
    names.add(name);
    const { stream } = await deps.store.get(entry.objectKey);
    archive.append(stream, { name });
    // One entry at a time: the next object is opened only when this one is written.
    await once(archive, 'entry');
  }
  await archive.finalize();
}
