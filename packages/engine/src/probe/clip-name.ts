/**
 * Vendor clip-naming conventions, read as a low-priority source of reel, camera unit, clip index
 * and date. A name that matches no convention yields nothing.
 *
 * - ARRI:   A001C003_230512_R1AB      camera A, reel A001, clip 3, 2023-05-12, camera index R1AB
 * - Sony / Canon / Panasonic: A001C002_230512L7 (date then two characters, no separator)
 * - RED:    A106_C037_0118G5_002.R3D  camera A, reel A106, clip 37, 01-18 (no year), segment 2
 * - Blackmagic: A001_05121432_C004    camera A, reel A001, 05-12 14:32, clip 4
 */
import { PRIORITY, type Fact } from './facts.ts';

export interface ClipName {
  vendorStyle: 'arri' | 'sony' | 'red' | 'blackmagic';
  cameraUnit: string;
  reel: string;
  clipIndex: number;
  /** YYYY-MM-DD, or --MM-DD when the name carries no year. */
  date?: string;
}

const stem = (fileName: string) => fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');

function yymmdd(text: string): string | undefined {
  const [yy, mm, dd] = [text.slice(0, 2), text.slice(2, 4), text.slice(4, 6)];
  if (Number(mm) < 1 || Number(mm) > 12 || Number(dd) < 1 || Number(dd) > 31) return undefined;
  return `20${yy}-${mm}-${dd}`;
}

interface Convention {
  vendorStyle: ClipName['vendorStyle'];
  pattern: RegExp;
  /** Capture groups: camera letter, reel digits, clip digits, and the date part(s). */
  date: (m: RegExpExecArray) => string | undefined;
  clip: number;
}

/** Tried in order; the first that matches names the clip. */
const CONVENTIONS: readonly Convention[] = [
  {
    vendorStyle: 'arri',
    pattern: /^([A-Z])(\d{3})C(\d{3})_(\d{6})_[A-Z0-9]{4}/i,
    clip: 3,
    date: (m) => yymmdd(m[4]!),
  },
  {
    vendorStyle: 'sony',
    pattern: /^([A-Z])(\d{3})C(\d{3})_(\d{6})[A-Z0-9]{2}(?:_|$)/i,
    clip: 3,
    date: (m) => yymmdd(m[4]!),
  },
  {
    vendorStyle: 'red',
    pattern: /^([A-Z])(\d{3})_C(\d{3})_(\d{2})(\d{2})[A-Z0-9]{2}(?:_\d{3})?$/i,
    clip: 3,
    date: (m) => `--${m[4]}-${m[5]}`,
  },
  {
    vendorStyle: 'blackmagic',
    pattern: /^([A-Z])(\d{3})_(\d{2})(\d{2})\d{4}_C(\d{3})$/i,
    clip: 5,
    date: (m) => `--${m[3]}-${m[4]}`,
  },
];

export function parseClipName(fileName: string): ClipName | undefined {
  const name = stem(fileName);
  for (const convention of CONVENTIONS) {
    const m = convention.pattern.exec(name);
    if (!m) continue;
    const cameraUnit = m[1]!.toUpperCase();
    const date = convention.date(m);
    return {
      vendorStyle: convention.vendorStyle,
      cameraUnit,
      reel: `${cameraUnit}${m[2]}`,
      clipIndex: Number(m[convention.clip]),
      ...(date ? { date } : {}),
    };
  }
  return undefined;
}

export function clipNameFacts(fileName: string): Fact[] {
  const parsed = parseClipName(fileName);
  const facts: Fact[] = [
    { field: 'identity.clipName', value: stem(fileName), source: 'filename', priority: PRIORITY.filename },
  ];
  if (!parsed) return facts;
  const detail = `${parsed.vendorStyle} clip name`;
  const fact = (field: Fact['field'], value: unknown): Fact => ({
    field,
    value,
    source: 'filename',
    detail,
    priority: PRIORITY.filename,
  });
  facts.push(
    fact('identity.reel', parsed.reel),
    fact('identity.cameraUnit', parsed.cameraUnit),
    fact('identity.clipIndex', parsed.clipIndex),
  );
  if (parsed.date && !parsed.date.startsWith('--')) facts.push(fact('identity.recordDate', parsed.date));
  return facts;
}
