/**
 * Pure: what the roll page shows — filters, sort and view — to and from the page's URL, so a
 * filtered view survives a reload and can be sent to a colleague; and the API's ClipFilter for it.
 */
import { parseTimecodeFields, TimecodeError } from '@rushes/timecode';
import type { ClipFilter, ClipSortField, ProcessingState, SortDirection } from '../gql/graphql.ts';

export type View = 'table' | 'grid';

export const SORT_FIELDS = {
  NAME: 'Name',
  START_TIMECODE: 'Timecode',
  REEL: 'Reel',
  RECORDED_AT: 'Recorded',
  DURATION: 'Duration',
  SIZE: 'Size',
  CREATED_AT: 'Added',
} as const satisfies Record<ClipSortField, string>;

export const STATES = [
  'ready',
  'processing',
  'pending',
  'partial',
  'failed',
] as const satisfies readonly ProcessingState[];

/** The filters beyond text and state, by URL parameter: how the filter form asks for each. */
export const FIELDS = {
  camera: { label: 'Camera model', hint: 'ALEXA 35' },
  lens: { label: 'Lens', hint: 'Signature Prime' },
  codec: { label: 'Codec', hint: 'prores' },
  reel: { label: 'Reel', hint: 'A001' },
  timecode: { label: 'Contains timecode', hint: '14:03:10:00' },
  fps: { label: 'Frame rate', hint: '23.976' },
  size: { label: 'Frame size', hint: '3840x2160' },
  from: { label: 'Recorded from', hint: 'datetime-local' },
  to: { label: 'Recorded until', hint: 'datetime-local' },
} as const;
export type TextFilter = keyof typeof FIELDS;

export interface ClipQuery {
  text: string;
  states: ProcessingState[];
  fields: Partial<Record<TextFilter, string>>;
  sort: ClipSortField;
  direction: SortDirection;
  view: View;
}

export const DEFAULT_QUERY: ClipQuery = {
  text: '',
  states: [],
  fields: {},
  sort: 'NAME',
  direction: 'ASC',
  view: 'table',
};

const isSortField = (value: string | null): value is ClipSortField => !!value && value in SORT_FIELDS;
const isState = (value: string): value is ProcessingState => (STATES as readonly string[]).includes(value);

export function fromSearchParams(params: URLSearchParams): ClipQuery {
  const sort = params.get('sort');
  const fields: ClipQuery['fields'] = {};
  for (const name of Object.keys(FIELDS) as TextFilter[]) {
    const value = params.get(name);
    if (value) fields[name] = value;
  }
  return {
    text: params.get('q') ?? '',
    states: (params.get('state') ?? '').split(',').filter(isState),
    fields,
    sort: isSortField(sort) ? sort : DEFAULT_QUERY.sort,
    direction: params.get('dir') === 'DESC' ? 'DESC' : 'ASC',
    view: params.get('view') === 'grid' ? 'grid' : 'table',
  };
}

/** Only what differs from the defaults, so a plain roll link stays plain. */
export function toSearchParams(query: ClipQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.text) params.set('q', query.text);
  if (query.states.length) params.set('state', query.states.join(','));
  for (const [name, value] of Object.entries(query.fields)) if (value) params.set(name, value);
  if (query.sort !== DEFAULT_QUERY.sort) params.set('sort', query.sort);
  if (query.direction !== DEFAULT_QUERY.direction) params.set('dir', query.direction);
  if (query.view !== DEFAULT_QUERY.view) params.set('view', query.view);
  return params;
}

function readsAsTimecode(text: string): boolean {
  try {
    parseTimecodeFields(text);
    return true;
  } catch (error) {
    if (error instanceof TimecodeError) return false;
    throw error;
  }
}

const DIMENSIONS = /^(\d{2,5})\s*[x×]\s*(\d{2,5})$/i;

/**
 * The API's filter for a query, or the problems that keep it from being one (keyed by URL
 * parameter), found here so a half-typed timecode is explained, not sent.
 */
export function toClipFilter(query: ClipQuery): {
  filter: ClipFilter;
  problems: Partial<Record<TextFilter, string>>;
} {
  const filter: ClipFilter = {};
  const problems: Partial<Record<TextFilter, string>> = {};
  if (query.text.trim()) filter.text = query.text.trim();
  if (query.states.length) filter.states = query.states;
  const { camera, lens, codec, reel, timecode, fps, size, from, to } = Object.fromEntries(
    Object.entries(query.fields).map(([k, v]) => [k, v?.trim()]),
  ) as ClipQuery['fields'];
  if (camera) filter.cameraModel = camera;
  if (lens) filter.lens = lens;
  if (codec) filter.codec = codec;
  if (reel) filter.reel = reel;
  if (timecode) {
    // The api reads it with the same parser; its frame number is checked at each clip's rate.
    if (readsAsTimecode(timecode)) filter.timecode = timecode;
    else problems.timecode = 'A timecode is HH:MM:SS:FF, e.g. 14:03:10:00.';
  }
  if (fps) {
    const rate = Number(fps);
    if (Number.isFinite(rate) && rate > 0 && rate <= 1000) filter.frameRate = rate;
    else problems.fps = 'A frame rate is a number, e.g. 23.976.';
  }
  if (size) {
    const match = DIMENSIONS.exec(size);
    if (match) {
      filter.width = Number(match[1]);
      filter.height = Number(match[2]);
    } else problems.size = 'A frame size is width×height, e.g. 3840x2160.';
  }
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!value) continue;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) problems[name] = 'Not a date and time.';
    else filter[name === 'from' ? 'recordedFrom' : 'recordedTo'] = date.toISOString();
  }
  return { filter, problems };
}

/** How many filters beyond the text are set, for a "Filters (2)" label. */
export const activeFilters = (query: ClipQuery): number =>
  (query.states.length ? 1 : 0) + Object.values(query.fields).filter(Boolean).length;
