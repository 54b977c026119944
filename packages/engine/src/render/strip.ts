/**
 * The scrub strip: N frames spread evenly over the clip, side by side in one JPEG, and an index
 * mapping time to tile — as JSON for the web app and as WebVTT thumbnails (`#xywh=`) for players.
 * One row: ffmpeg builds it as a sliding sheet (every thinned frame re-emits the sheet), which
 * lets the strip's output start at the first frame instead of holding ffmpeg's progress reports
 * back until the last (ffmpeg 5.1 reports nothing before every output has started).
 */

export interface StripOptions {
  /** Frames in the strip. */
  frames: number;
  /** Width of one tile in pixels. */
  width: number;
}

export interface StripLayout {
  /** Take every `step`-th source frame. */
  step: number;
  count: number;
  tileWidth: number;
  tileHeight: number;
}

export interface StripTile {
  index: number;
  startSeconds: number;
  endSeconds: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Pure: the nearest even pixel count, at least 2 (4:2:0 and 4:2:2 need even sizes). */
export const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

/** Pure: how many frames to skip and how to tile them, for a clip of `totalFrames`. */
export function stripLayout(options: StripOptions, totalFrames: number, aspect: number): StripLayout {
  const wanted = Math.max(1, Math.min(options.frames, totalFrames));
  const step = Math.max(1, Math.ceil(totalFrames / wanted));
  const count = Math.max(1, Math.ceil(totalFrames / step));
  return {
    step,
    count,
    tileWidth: even(options.width),
    tileHeight: even(options.width / aspect),
  };
}

/** Pure: each tile's place in the sheet and the span of the clip it stands for. */
export function stripTiles(layout: StripLayout, frameSeconds: number, durationSeconds: number): StripTile[] {
  return Array.from({ length: layout.count }, (_, index) => ({
    index,
    startSeconds: index * layout.step * frameSeconds,
    endSeconds: Math.min(durationSeconds, (index + 1) * layout.step * frameSeconds),
    x: index * layout.tileWidth,
    y: 0,
    width: layout.tileWidth,
    height: layout.tileHeight,
  }));
}

const vttTime = (seconds: number) => {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
};

/** Pure: WebVTT thumbnail cues pointing into `image` (a name relative to the .vtt). */
export function stripVtt(tiles: readonly StripTile[], image: string): string {
  const cues = tiles.map(
    (t) =>
      `${vttTime(t.startSeconds)} --> ${vttTime(t.endSeconds)}\n${image}#xywh=${t.x},${t.y},${t.width},${t.height}`,
  );
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}
