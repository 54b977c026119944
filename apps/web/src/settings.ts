import { httpUrl, optionalHttpUrl, originList, parseSettings, port } from '@rushes/schema/settings';
import { z } from 'zod';

/** Every variable the web app reads, with its default (listed in the README). */
export const webSettingsShape = {
  /** HTTP port of the web app. */
  PORT: port(3000),
  /** Interface to listen on. Default: all interfaces. */
  HOST: z.string().optional(),
  /**
   * The api's GraphQL endpoint as browsers reach it. Browsers send GraphQL to this server's own
   * `/graphql`, which forwards it; they reach the api's origin directly only for signed links
   * (`/blobs`, `/exports`), which the Content-Security-Policy therefore allows.
   */
  RUSHES_API_URL: httpUrl('http://localhost:4000/graphql'),
  /**
   * The same endpoint as the web server reaches it — for `/graphql` (HTTP and WebSocket), the
   * session routes and the server-rendered first paint — when that differs from the browsers'
   * address (behind a proxy, in a container). Default: RUSHES_API_URL.
   */
  RUSHES_API_SERVER_URL: optionalHttpUrl(),
  /**
   * Further origins browsers load media from and upload to, comma-separated: the S3 store's
   * (endpoint or bucket host) with STORAGE_DRIVER=s3. Added to the Content-Security-Policy.
   */
  MEDIA_ORIGINS: originList().default([]),
};

export type WebSettings = z.infer<z.ZodObject<typeof webSettingsShape>>;

let parsed: WebSettings | undefined;

/** Parsed once per process; throws SettingsError naming the bad variable. */
export function webSettings(): WebSettings {
  parsed ??= parseSettings('rushes web', webSettingsShape, process.env);
  return parsed;
}
