import { httpUrl, optionalHttpUrl, parseSettings, port } from '@rushes/schema/settings';
import { z } from 'zod';

/** Every variable the web app reads, with its default (listed in the README). */
export const webSettingsShape = {
  /** HTTP port of the web app. */
  PORT: port(3000),
  /** Interface to listen on. Default: all interfaces. */
  HOST: z.string().optional(),
  /** The GraphQL endpoint as browsers reach it; `ws(s)://` is derived from it for subscriptions. */
  RUSHES_API_URL: httpUrl('http://localhost:4000/graphql'),
  /**
   * The same endpoint as the web server reaches it, for the server-rendered first paint, when
   * that differs from the browsers' address (behind a proxy, in a container). Default: RUSHES_API_URL.
   */
  RUSHES_API_SERVER_URL: optionalHttpUrl(),
};

export type WebSettings = z.infer<z.ZodObject<typeof webSettingsShape>>;

let parsed: WebSettings | undefined;

/** Parsed once per process; throws SettingsError naming the bad variable. */
export function webSettings(): WebSettings {
  parsed ??= parseSettings('rushes web', webSettingsShape, process.env);
  return parsed;
}
