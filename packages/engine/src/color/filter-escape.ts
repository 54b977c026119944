/**
 * Escaping for ffmpeg filter graphs (ffmpeg-filters(1), "Notes on filtergraph escaping"): a value
 * inside a filter's options is quoted once for the option parser, then the whole filter
 * description once more for the graph parser. File paths and text from users (clip names, reels)
 * go through here, so a name like `A001's take: 1, [best]` cannot break or inject into the graph.
 */

/** Pure: one option value, quoted for the filter's option parser (level 1). */
export function quoteOptionValue(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Pure: a whole filter description escaped for the graph parser (level 2). */
export function escapeForGraph(description: string): string {
  return description.replace(/[\\'[\],;]/g, '\\$&');
}

/** Pure: `name=key=value:key=value` with every value quoted and the result escaped for the graph. */
export function filter(name: string, options: Record<string, string | number | undefined> = {}): string {
  const parts = Object.entries(options)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? String(value) : quoteOptionValue(value)}`);
  return parts.length ? `${name}=${escapeForGraph(parts.join(':'))}` : name;
}
