/**
 * OpenTimelineIO `.otio` files (JSON), read with OTIO's own schema names and versions
 * (`OTIO_SCHEMA: "Clip.2"`). Older versions are read the way OTIO upgrades them: Clip.1's
 * `media_reference` becomes `media_references.DEFAULT_MEDIA`, Marker.1's `range` is the
 * marked range, Marker.2's colour name becomes a colour with that name. A schema this reader
 * does not know is kept as `{ kind: 'Unknown', schema }` and listed in `unknownSchemas`.
 */
import { InterchangeError } from './edl.ts';

export interface RationalTime {
  value: number;
  rate: number;
}

export interface TimeRange {
  startTime: RationalTime;
  duration: RationalTime;
}

type Metadata = Record<string, unknown>;

export interface OtioColor {
  name?: string;
  r?: number;
  g?: number;
  b?: number;
  a?: number;
}

export interface OtioMarker {
  schema: string;
  name: string;
  markedRange?: TimeRange;
  color?: OtioColor;
  comment?: string;
  metadata: Metadata;
}

export interface OtioEffect {
  schema: string;
  name: string;
  effectName?: string;
  /** LinearTimeWarp / FreezeFrame. */
  timeScalar?: number;
  enabled?: boolean;
  metadata: Metadata;
}

export type OtioMediaReference =
  | {
      kind: 'ExternalReference';
      schema: string;
      name: string;
      targetUrl: string;
      availableRange?: TimeRange;
      metadata: Metadata;
    }
  | { kind: 'MissingReference'; schema: string; name: string; availableRange?: TimeRange; metadata: Metadata }
  | {
      kind: 'ImageSequenceReference' | 'GeneratorReference';
      schema: string;
      name: string;
      availableRange?: TimeRange;
      metadata: Metadata;
      fields: Metadata;
    }
  | OtioUnknown;

export interface OtioUnknown {
  kind: 'Unknown';
  schema: string;
  name?: string;
}

interface ItemFields {
  schema: string;
  name: string;
  sourceRange?: TimeRange;
  enabled: boolean;
  markers: OtioMarker[];
  effects: OtioEffect[];
  metadata: Metadata;
}

export interface OtioClip extends ItemFields {
  kind: 'Clip';
  mediaReferences: Record<string, OtioMediaReference>;
  activeMediaReferenceKey: string;
}

export interface OtioGap extends ItemFields {
  kind: 'Gap';
}

export interface OtioTransition {
  kind: 'Transition';
  schema: string;
  name: string;
  transitionType: string;
  inOffset: RationalTime;
  outOffset: RationalTime;
  metadata: Metadata;
}

export interface OtioTrack extends ItemFields {
  kind: 'Track';
  /** "Video", "Audio" or what the file says. */
  trackKind: string;
  children: OtioComposable[];
}

export interface OtioStack extends ItemFields {
  kind: 'Stack';
  children: OtioComposable[];
}

export type OtioComposable = OtioClip | OtioGap | OtioTransition | OtioTrack | OtioStack | OtioUnknown;

export interface OtioTimeline {
  kind: 'Timeline';
  schema: string;
  name: string;
  globalStartTime?: RationalTime;
  metadata: Metadata;
  tracks: OtioStack;
}

export interface OtioDocument {
  format: 'OTIO';
  /** A Timeline, or a SerializableCollection's children. */
  root:
    | OtioTimeline
    | {
        kind: 'SerializableCollection';
        schema: string;
        name: string;
        children: (OtioTimeline | OtioComposable)[];
        metadata: Metadata;
      }
    | OtioComposable;
  /** Schemas met and not understood, e.g. `["VendorThing.1"]`. */
  unknownSchemas: string[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function schemaOf(value: unknown, where: string): { schema: string; name: string; version: number } {
  if (!isObject(value) || typeof value['OTIO_SCHEMA'] !== 'string')
    throw new InterchangeError(`OTIO: ${where} has no OTIO_SCHEMA`);
  const schema = value['OTIO_SCHEMA'];
  const match = /^([A-Za-z_][\w]*)\.(\d+)$/.exec(schema);
  if (!match) throw new InterchangeError(`OTIO: ${where}: malformed OTIO_SCHEMA "${schema}"`);
  return { schema, name: match[1]!, version: Number(match[2]) };
}

class Reader {
  readonly unknown = new Set<string>();

  private unknownNode(schema: string, value: Json): OtioUnknown {
    this.unknown.add(schema);
    const node: OtioUnknown = { kind: 'Unknown', schema };
    if (typeof value['name'] === 'string') node.name = value['name'];
    return node;
  }

  number(value: unknown, where: string): number {
    if (typeof value !== 'number' || Number.isNaN(value))
      throw new InterchangeError(`OTIO: ${where} must be a number, got ${JSON.stringify(value)}`);
    return value;
  }

  rationalTime(value: unknown, where: string): RationalTime {
    const { name } = schemaOf(value, where);
    if (name !== 'RationalTime')
      throw new InterchangeError(`OTIO: ${where} must be a RationalTime, got ${name}`);
    const json = value as Json;
    return {
      value: this.number(json['value'], `${where}.value`),
      rate: this.number(json['rate'], `${where}.rate`),
    };
  }

  timeRange(value: unknown, where: string): TimeRange | undefined {
    if (value === null || value === undefined) return undefined;
    const { name } = schemaOf(value, where);
    if (name !== 'TimeRange') throw new InterchangeError(`OTIO: ${where} must be a TimeRange, got ${name}`);
    const json = value as Json;
    return {
      startTime: this.rationalTime(json['start_time'], `${where}.start_time`),
      duration: this.rationalTime(json['duration'], `${where}.duration`),
    };
  }

  metadata(json: Json): Metadata {
    return isObject(json['metadata']) ? json['metadata'] : {};
  }

  string(value: unknown): string {
    return typeof value === 'string' ? value : '';
  }

  marker(value: unknown, where: string): OtioMarker {
    const { schema, name, version } = schemaOf(value, where);
    if (name !== 'Marker') throw new InterchangeError(`OTIO: ${where} must be a Marker, got ${schema}`);
    const json = value as Json;
    const marker: OtioMarker = { schema, name: this.string(json['name']), metadata: this.metadata(json) };
    const range = this.timeRange(json[version === 1 ? 'range' : 'marked_range'], `${where}.marked_range`);
    if (range) marker.markedRange = range;
    const color = json['color'];
    if (typeof color === 'string' && color) marker.color = { name: color };
    else if (isObject(color)) {
      const c: OtioColor = {};
      if (typeof color['name'] === 'string') c.name = color['name'];
      for (const k of ['r', 'g', 'b', 'a'] as const) if (typeof color[k] === 'number') c[k] = color[k];
      marker.color = c;
    }
    if (typeof json['comment'] === 'string') marker.comment = json['comment'];
    return marker;
  }

  effect(value: unknown, where: string): OtioEffect {
    const { schema } = schemaOf(value, where);
    const json = value as Json;
    const effect: OtioEffect = { schema, name: this.string(json['name']), metadata: this.metadata(json) };
    if (typeof json['effect_name'] === 'string') effect.effectName = json['effect_name'];
    if (typeof json['time_scalar'] === 'number') effect.timeScalar = json['time_scalar'];
    if (typeof json['enabled'] === 'boolean') effect.enabled = json['enabled'];
    return effect;
  }

  mediaReference(value: unknown, where: string): OtioMediaReference {
    const { schema, name } = schemaOf(value, where);
    const json = value as Json;
    const base = { schema, name: this.string(json['name']), metadata: this.metadata(json) };
    const range = this.timeRange(json['available_range'], `${where}.available_range`);
    const withRange = <T extends object>(ref: T) => (range ? { ...ref, availableRange: range } : ref);
    switch (name) {
      case 'ExternalReference':
        return withRange({
          kind: 'ExternalReference' as const,
          ...base,
          targetUrl: this.string(json['target_url']),
        });
      case 'MissingReference':
        return withRange({ kind: 'MissingReference' as const, ...base });
      case 'ImageSequenceReference':
      case 'GeneratorReference': {
        const { OTIO_SCHEMA: _s, name: _n, metadata: _m, available_range: _r, ...fields } = json;
        return withRange({ kind: name, ...base, fields });
      }
      default:
        return this.unknownNode(schema, json);
    }
  }

  item(json: Json, schema: string, where: string): ItemFields {
    const item: ItemFields = {
      schema,
      name: this.string(json['name']),
      enabled: json['enabled'] !== false,
      markers: (Array.isArray(json['markers']) ? json['markers'] : []).map((m, i) =>
        this.marker(m, `${where}.markers[${i}]`),
      ),
      effects: (Array.isArray(json['effects']) ? json['effects'] : []).map((e, i) =>
        this.effect(e, `${where}.effects[${i}]`),
      ),
      metadata: this.metadata(json),
    };
    const range = this.timeRange(json['source_range'], `${where}.source_range`);
    if (range) item.sourceRange = range;
    return item;
  }

  children(json: Json, where: string): OtioComposable[] {
    const children = json['children'];
    if (children === undefined || children === null) return [];
    if (!Array.isArray(children)) throw new InterchangeError(`OTIO: ${where}.children must be a list`);
    return children.map((c, i) => this.composable(c, `${where}.children[${i}]`));
  }

  composable(value: unknown, where: string): OtioComposable {
    const { schema, name, version } = schemaOf(value, where);
    const json = value as Json;
    switch (name) {
      case 'Clip': {
        let references: Record<string, OtioMediaReference> = {};
        let active = 'DEFAULT_MEDIA';
        if (version >= 2 && isObject(json['media_references'])) {
          references = Object.fromEntries(
            Object.entries(json['media_references']).map(([key, ref]) => [
              key,
              this.mediaReference(ref, `${where}.media_references.${key}`),
            ]),
          );
          if (typeof json['active_media_reference_key'] === 'string')
            active = json['active_media_reference_key'];
        } else if (isObject(json['media_reference'])) {
          references = {
            DEFAULT_MEDIA: this.mediaReference(json['media_reference'], `${where}.media_reference`),
          };
        } else {
          // As OTIO's Clip 1→2 upgrade: no reference means a MissingReference.
          references = {
            DEFAULT_MEDIA: { kind: 'MissingReference', schema: 'MissingReference.1', name: '', metadata: {} },
          };
        }
        return {
          kind: 'Clip',
          ...this.item(json, schema, where),
          mediaReferences: references,
          activeMediaReferenceKey: active,
        };
      }
      case 'Gap':
        return { kind: 'Gap', ...this.item(json, schema, where) };
      case 'Transition':
        return {
          kind: 'Transition',
          schema,
          name: this.string(json['name']),
          transitionType: this.string(json['transition_type']),
          inOffset: this.rationalTime(json['in_offset'], `${where}.in_offset`),
          outOffset: this.rationalTime(json['out_offset'], `${where}.out_offset`),
          metadata: this.metadata(json),
        };
      case 'Track':
        return {
          kind: 'Track',
          ...this.item(json, schema, where),
          trackKind: this.string(json['kind']),
          children: this.children(json, where),
        };
      case 'Stack':
        return { kind: 'Stack', ...this.item(json, schema, where), children: this.children(json, where) };
      default:
        return this.unknownNode(schema, json);
    }
  }

  timeline(json: Json, schema: string): OtioTimeline {
    const tracks = json['tracks'];
    const stack = this.composable(tracks, 'Timeline.tracks');
    if (stack.kind !== 'Stack') throw new InterchangeError('OTIO: Timeline.tracks must be a Stack');
    const timeline: OtioTimeline = {
      kind: 'Timeline',
      schema,
      name: this.string(json['name']),
      metadata: this.metadata(json),
      tracks: stack,
    };
    if (json['global_start_time'] !== null && json['global_start_time'] !== undefined)
      timeline.globalStartTime = this.rationalTime(json['global_start_time'], 'Timeline.global_start_time');
    return timeline;
  }

  root(value: unknown): OtioDocument['root'] {
    const { schema, name } = schemaOf(value, 'the document');
    const json = value as Json;
    if (name === 'Timeline') return this.timeline(json, schema);
    if (name === 'SerializableCollection') {
      const children = Array.isArray(json['children']) ? json['children'] : [];
      return {
        kind: 'SerializableCollection',
        schema,
        name: this.string(json['name']),
        metadata: this.metadata(json),
        children: children.map((c, i) => {
          const inner = schemaOf(c, `children[${i}]`);
          return inner.name === 'Timeline'
            ? this.timeline(c as Json, inner.schema)
            : this.composable(c, `children[${i}]`);
        }),
      };
    }
    return this.composable(value, 'the document');
  }
}

/**
 * OTIO's C++ writer puts non-finite doubles as bare `Inf`, `-Inf` and `NaN`, which JSON lacks.
 * They are turned into null outside strings before parsing.
 */
function otioJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const patched = text.replace(
      /("(?:[^"\\]|\\.)*")|-?\b(?:Inf|NaN)\b/g,
      (match, string: string | undefined) => string ?? 'null',
    );
    try {
      return JSON.parse(patched);
    } catch (error) {
      throw new InterchangeError(`not an OTIO file: ${(error as Error).message}`);
    }
  }
}

/** Pure: reads an `.otio` document. */
export function parseOtio(text: string): OtioDocument {
  const json = otioJson(text.replace(/^\ufeff/, ''));
  const reader = new Reader();
  const root = reader.root(json);
  return { format: 'OTIO', root, unknownSchemas: [...reader.unknown].sort() };
}

export function looksLikeOtio(text: string): boolean {
  return /^\s*\{[\s\S]{0,200}"OTIO_SCHEMA"\s*:/.test(text.replace(/^\ufeff/, '').slice(0, 4000));
}

/** The clips of a track or stack, depth first, in order. */
export function otioClips(node: OtioComposable | OtioTimeline): OtioClip[] {
  if (node.kind === 'Timeline') return otioClips(node.tracks);
  if (node.kind === 'Clip') return [node];
  if (node.kind === 'Track' || node.kind === 'Stack') return node.children.flatMap(otioClips);
  return [];
}
