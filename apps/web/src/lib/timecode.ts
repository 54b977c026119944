/** Pure: a clip's source timecode at a point of its proxy, for the player's display. */

export function timecodeAt(
  start: string | null | undefined,
  seconds: number,
  fps: number | null | undefined,
): string {
  if (!fps || fps <= 0) return '—';
  const nominal = Math.round(fps);
  const match = start ? /^(\d{2}):(\d{2}):(\d{2})[:;](\d{2})$/.exec(start) : null;
  const startFrames = match
    ? ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * nominal + Number(match[4])
    : 0;
  const total = startFrames + Math.floor(seconds * fps + 1e-6);
  const frames = total % nominal;
  const allSeconds = Math.floor(total / nominal);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(allSeconds / 3600) % 24)}:${pad(Math.floor(allSeconds / 60) % 60)}:${pad(allSeconds % 60)}:${pad(frames)}`;
}
