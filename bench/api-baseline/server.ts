/**
 * The baseline the roll-browse bench (../api-browse.bench.ts) measures the rushes api against:
 * what a team would build instead of Rushes to serve the same query (issue 22, "honest
 * baselines"). Apollo Server 5 with its defaults on Express 5 (@as-integrations/express5, as in
 * Apollo's own getting-started), the schema as hand-written SDL, the resolvers hand-written over
 * `pg` — no type-graphql, no drizzle, no DataLoader, no graphql-jit. Straightforward but not
 * naive: a request costs one query for the API key, one for the roll, one for the page of clips,
 * one for its count and one for the thumbnails of the whole page (a memo on the page, not one
 * query per clip).
 *
 * Same answers as Rushes: the same auth (Bearer API key looked up by its prefix, the SHA-256 of
 * the secret compared, unrevoked and unexpired, the roll's production among the key's
 * production_ids, else `node` is null), the same rows in the same order (by file name, then card
 * path, then id) and download links signed by the same store (`signedGetUrl`, 900 s, with the
 * same download name). Not logged: one line per request would only slow the baseline down.
 *
 * Its SDL, row types and cells repeat Rushes' own on purpose (`duplicates` lists them): a
 * baseline that imported our schema or mapping would measure a weakened copy of ourselves.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import type { BlobStore } from '@rushes/storage';
import cors from 'cors';
import express from 'express';
import { GraphQLError } from 'graphql';
import pg from 'pg';

/** The hand-written schema: the types the roll-browse query reads, with all their fields. */
const typeDefs = /* GraphQL */ `
  interface Node {
    id: ID!
  }

  type Query {
    "Any object by its global id; null when it does not exist or is not yours to see."
    node(id: ID!): Node
  }

  enum ProcessingState {
    failed
    partial
    pending
    processing
    ready
  }

  type Roll implements Node {
    id: ID!
    name: String!
    state: ProcessingState!
    shootDay: String
    "Clips of the roll by file name, at most 500."
    clips(first: Int = 50): ClipConnection!
  }

  type ClipConnection {
    totalCount: Int!
    nodes: [Clip!]!
  }

  type Rational {
    num: Int!
    den: Int!
    fps: Float!
  }

  type Clip implements Node {
    id: ID!
    fileName: String!
    originalPath: String!
    sizeBytes: Float
    state: ProcessingState!
    camera: String
    reel: String
    startTimecode: String
    endTimecode: String
    durationFrames: Int
    frameRate: Rational
    width: Int
    height: Int
    codec: String
    colorSpace: String
    metadata: ClipMetadata!
    "One rendition by name, e.g. proxy:review, thumbnail."
    rendition(name: String!): Rendition
  }

  type Rendition implements Node {
    id: ID!
    kind: String!
    name: String!
    state: String!
    codec: String
    sizeBytes: Float
    width: Int
    height: Int
    "A signed link to the file, valid expiresInSeconds (60–86400); null until it is ready."
    downloadUrl(expiresInSeconds: Int! = 900): String
  }

  enum MetadataSource {
    bext
    container
    exiftool
    filename
    ixml
    sequence
    sidecar
    stream
    user
  }

  type SourcedStringCandidate {
    value: String!
    source: MetadataSource!
    detail: String
  }
  type SourcedString {
    value: String!
    source: MetadataSource!
    detail: String
    conflicts: [SourcedStringCandidate!]!
  }
  type SourcedFloatCandidate {
    value: Float!
    source: MetadataSource!
    detail: String
  }
  type SourcedFloat {
    value: Float!
    source: MetadataSource!
    detail: String
    conflicts: [SourcedFloatCandidate!]!
  }
  type SourcedBooleanCandidate {
    value: Boolean!
    source: MetadataSource!
    detail: String
  }
  type SourcedBoolean {
    value: Boolean!
    source: MetadataSource!
    detail: String
    conflicts: [SourcedBooleanCandidate!]!
  }
  type SourcedRationalCandidate {
    value: Rational!
    source: MetadataSource!
    detail: String
  }
  type SourcedRational {
    value: Rational!
    source: MetadataSource!
    detail: String
    conflicts: [SourcedRationalCandidate!]!
  }
  type SourcedStringListCandidate {
    value: [String!]!
    source: MetadataSource!
    detail: String
  }
  type SourcedStringList {
    value: [String!]!
    source: MetadataSource!
    detail: String
    conflicts: [SourcedStringListCandidate!]!
  }

  type ClipMetadata {
    identity: IdentityMetadata!
    camera: CameraMetadata!
    lens: LensMetadata!
    exposure: ExposureMetadata!
    picture: PictureMetadata!
    color: ColorMetadata!
    time: TimeMetadata!
    audio: AudioMetadata!
    file: FileMetadata!
  }
  type IdentityMetadata {
    cameraUnit: SourcedString
    clipIndex: SourcedFloat
    clipName: SourcedString
    recordDate: SourcedString
    reel: SourcedString
    scene: SourcedString
    take: SourcedString
  }
  type CameraMetadata {
    firmware: SourcedString
    make: SourcedString
    model: SourcedString
    serial: SourcedString
  }
  type LensMetadata {
    fNumber: SourcedFloat
    focalLengthMm: SourcedFloat
    focusDistanceM: SourcedFloat
    model: SourcedString
    serial: SourcedString
    tStop: SourcedFloat
  }
  type ExposureMetadata {
    exposureIndex: SourcedFloat
    ndStops: SourcedFloat
    shutterAngleDeg: SourcedFloat
    shutterSpeedS: SourcedFloat
    tint: SourcedFloat
    whiteBalanceK: SourcedFloat
  }
  type PictureMetadata {
    anamorphicSqueeze: SourcedFloat
    bitDepth: SourcedFloat
    channels: SourcedString
    chroma: SourcedString
    codec: SourcedString
    frameRate: SourcedRational
    height: SourcedFloat
    pixelAspect: SourcedFloat
    profile: SourcedString
    scan: SourcedString
    views: SourcedStringList
    width: SourcedFloat
  }
  type ColorMetadata {
    acesInputTransform: SourcedString
    gamut: SourcedString
    matrix: SourcedString
    primaries: SourcedString
    range: SourcedString
    transfer: SourcedString
  }
  type TimeMetadata {
    dropFrame: SourcedBoolean
    durationFrames: SourcedFloat
    durationSeconds: SourcedFloat
    endTimecode: SourcedString
    startTimecode: SourcedString
  }
  type AudioMetadata {
    bitDepth: SourcedFloat
    channels: SourcedFloat
    circled: SourcedBoolean
    codec: SourcedString
    note: SourcedString
    originator: SourcedString
    project: SourcedString
    sampleRateHz: SourcedFloat
    scene: SourcedString
    speed: SourcedString
    take: SourcedString
    tape: SourcedString
    trackNames: SourcedStringList
  }
  type FileMetadata {
    container: SourcedString
    originalPath: SourcedString
    sizeBytes: SourcedFloat
  }
`;

/** What a request may read: the productions of its API key (none without a key). */
export interface Access {
  productionIds: readonly string[];
}

interface Context {
  pool: pg.Pool;
  store: BlobStore;
  access: Access;
}

interface RollRow {
  id: string;
  productionId: string;
  name: string;
  state: string;
  shootDay: string | null;
}

interface ClipRow {
  id: string;
  fileName: string;
  originalPath: string;
  sizeBytes: number | null;
  state: string;
  camera: string | null;
  reel: string | null;
  startTimecode: string | null;
  endTimecode: string | null;
  durationFrames: number | null;
  fpsNum: number | null;
  fpsDen: number | null;
  width: number | null;
  height: number | null;
  codec: string | null;
  colorSpace: string | null;
  metadata: Record<string, unknown> | null;
}

interface RenditionRow {
  id: string;
  clipId: string;
  kind: string;
  name: string;
  objectKey: string | null;
  state: string;
  codec: string | null;
  sizeBytes: number | null;
  width: number | null;
  height: number | null;
}

/** A page of clips: its ids, and its renditions by name, each name loaded once for the page. */
interface ClipPage {
  ids: string[];
  renditions: Map<string, Promise<Map<string, RenditionRow>>>;
}
type PagedClip = ClipRow & { page: ClipPage };
type RenditionOfClip = RenditionRow & { clipFileName: string };

const CLIP_COLUMNS = `id, file_name as "fileName", original_path as "originalPath",
  size_bytes::float8 as "sizeBytes", state, camera, reel, start_timecode as "startTimecode",
  end_timecode as "endTimecode", duration_frames as "durationFrames", fps_num as "fpsNum",
  fps_den as "fpsDen", width, height, codec, color_space as "colorSpace", metadata`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Relay-style global ids: base64url of `Type:uuid`. */
export const toGlobalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');

function fromGlobalId(globalId: string): { type: string; id: string } | undefined {
  const [type, id] = Buffer.from(globalId, 'base64url').toString().split(':');
  return type && id && UUID.test(id) ? { type, id } : undefined;
}

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** The file name a download is offered under, e.g. A001C003_thumbnail.jpg. */
function downloadName(clipFileName: string, renditionName: string, objectKey: string): string {
  const stem = clipFileName.replace(/\.[^.]+$/, '');
  const extension = objectKey.match(/\.[A-Za-z0-9]+$/)?.[0] ?? '';
  return `${stem}_${renditionName.replace(/[^\w.-]+/g, '-')}${extension}`;
}

/** The caller's access from `Authorization: Bearer rs_key_…`; a 401 for a key that is not live. */
export async function accessOf(pool: pg.Pool, authorization: string | undefined): Promise<Access> {
  const token = authorization && /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  if (!token) return { productionIds: [] };
  const { rows } = await pool.query<{ production_ids: string[] }>(
    `select production_ids from api_keys
      where prefix = $1 and secret_hash = $2 and revoked_at is null
        and (expires_at is null or expires_at > now())`,
    // The prefix is `rs_key_` and 8 characters of the secret; the secret is kept as SHA-256.
    [token.slice(0, 15), createHash('sha256').update(token).digest('hex')],
  );
  if (!rows[0]) {
    throw new GraphQLError('This API key is unknown, revoked or expired.', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  return { productionIds: rows[0].production_ids };
}

/** Each group of the stored metadata document, `{}` when the document lacks it. */
const metadataGroups = [
  'identity',
  'camera',
  'lens',
  'exposure',
  'picture',
  'color',
  'time',
  'audio',
  'file',
];
const clipMetadata = Object.fromEntries(
  metadataGroups.map((group) => [group, (document: Record<string, unknown>) => document[group] ?? {}]),
);
/** The stored document leaves `conflicts` out when there were none. */
const sourced = { conflicts: (value: { conflicts?: unknown[] }) => value.conflicts ?? [] };

const resolvers = {
  Node: {
    __resolveType: (node: { __typename: string }) => node.__typename,
  },
  Query: {
    async node(_: unknown, args: { id: string }, ctx: Context) {
      const decoded = fromGlobalId(args.id);
      // Rolls are the only nodes this baseline serves.
      if (decoded?.type !== 'Roll') return null;
      const { rows } = await ctx.pool.query<RollRow>(
        `select id, production_id as "productionId", name, state, shoot_day::text as "shootDay"
           from rolls where id = $1`,
        [decoded.id],
      );
      const roll = rows[0];
      if (!roll || !ctx.access.productionIds.includes(roll.productionId)) return null;
      return { __typename: 'Roll', ...roll };
    },
  },
  Roll: {
    id: (roll: RollRow) => toGlobalId('Roll', roll.id),
    async clips(roll: RollRow, args: { first: number }, ctx: Context) {
      if (!Number.isInteger(args.first) || args.first < 1 || args.first > 500)
        throw badInput(`first must be between 1 and 500; got ${args.first}.`);
      const { rows } = await ctx.pool.query<ClipRow>(
        `select ${CLIP_COLUMNS} from clips
          where production_id = $1 and roll_id = $2
          order by file_name, original_path, id
          limit $3`,
        [roll.productionId, roll.id, args.first],
      );
      const page: ClipPage = { ids: rows.map((row) => row.id), renditions: new Map() };
      return { roll, nodes: rows.map((row): PagedClip => Object.assign(row, { page })) };
    },
  },
  ClipConnection: {
    async totalCount({ roll }: { roll: RollRow }, _: unknown, ctx: Context) {
      const { rows } = await ctx.pool.query<{ n: number }>(
        'select count(*)::int as n from clips where production_id = $1 and roll_id = $2',
        [roll.productionId, roll.id],
      );
      return rows[0]!.n;
    },
  },
  Clip: {
    id: (clip: ClipRow) => toGlobalId('Clip', clip.id),
    frameRate: (clip: ClipRow) =>
      clip.fpsNum && clip.fpsDen ? { num: clip.fpsNum, den: clip.fpsDen } : null,
    metadata: (clip: ClipRow) => clip.metadata ?? {},
    async rendition(clip: PagedClip, args: { name: string }, ctx: Context): Promise<RenditionOfClip | null> {
      let byClip = clip.page.renditions.get(args.name);
      if (!byClip) {
        byClip = ctx.pool
          .query<RenditionRow>(
            `select id, clip_id as "clipId", kind, name, object_key as "objectKey", state, codec,
                    size_bytes::float8 as "sizeBytes", width, height
               from renditions where clip_id = any($1::uuid[]) and name = $2`,
            [clip.page.ids, args.name],
          )
          .then(({ rows }) => new Map(rows.map((row) => [row.clipId, row])));
        clip.page.renditions.set(args.name, byClip);
      }
      const row = (await byClip).get(clip.id);
      return row ? { ...row, clipFileName: clip.fileName } : null;
    },
  },
  Rational: {
    fps: (rational: { num: number; den: number }) => rational.num / rational.den,
  },
  Rendition: {
    id: (rendition: RenditionRow) => toGlobalId('Rendition', rendition.id),
    async downloadUrl(rendition: RenditionOfClip, args: { expiresInSeconds: number }, ctx: Context) {
      if (args.expiresInSeconds < 60 || args.expiresInSeconds > 86_400)
        throw badInput('expiresInSeconds must be between 60 and 86400.');
      if (!rendition.objectKey || rendition.state !== 'ready') return null;
      return ctx.store.signedGetUrl(rendition.objectKey, {
        expiresInSeconds: args.expiresInSeconds,
        downloadName: downloadName(rendition.clipFileName, rendition.name, rendition.objectKey),
      });
    },
  },
  ClipMetadata: clipMetadata,
  SourcedString: sourced,
  SourcedFloat: sourced,
  SourcedBoolean: sourced,
  SourcedRational: sourced,
  SourcedStringList: sourced,
};

export interface Baseline {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:41234/graphql. */
  url: string;
  httpServer: Server;
  stop(): Promise<void>;
}

/**
 * Starts the baseline on a free port of 127.0.0.1 with a pool of its own (pg's default of 10
 * connections, as many as the rushes api's), signing download links with `store`.
 */
export async function startBaseline(databaseUrl: string, store: BlobStore): Promise<Baseline> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const app = express();
  const httpServer = createServer(app);
  const apollo = new ApolloServer<Context>({
    typeDefs,
    resolvers,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await apollo.start();
  app.use(
    '/graphql',
    cors(),
    express.json(),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        pool,
        store,
        access: await accessOf(pool, req.headers.authorization),
      }),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    httpServer,
    async stop() {
      await apollo.stop();
      await pool.end();
    },
  };
}
