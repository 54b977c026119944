import { httpUrl, parseSettings, port } from '@rushes/schema/settings';
import { z } from 'zod';

/** Every variable the web app reads, with its default (listed in the README). */
export const webSettingsShape = {
  /** HTTP port of the web app. */
  PORT: port(3000),
  /** Interface to listen on. Default: all interfaces. */
  HOST: z.string().optional(),
  /** The GraphQL endpoint as browsers reach it; `ws(s)://` is derived from it for subscriptions. */
  RUSHES_API_URL: httpUrl('http://localhost:4000/graphql'),
};

export type WebSettings = z.infer<z.ZodObject<typeof webSettingsShape>>;

let parsed: WebSettings | undefined;

/** Parsed once per process; throws SettingsError naming the bad variable. */
export function webSettings(): WebSettings {
  parsed ??= parseSettings('rushes web', webSettingsShape, process.env);
  return parsed;
}
