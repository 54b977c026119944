'use client';

import { useState, type MouseEvent } from 'react';

interface Tile {
  startSeconds: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

const WIDTH = 160;
const HEIGHT = 90;

/** Pure: the strip tile under the pointer at `fraction` (0–1) of the thumbnail's width. */
export function tileAt(tiles: readonly Tile[], fraction: number): Tile | undefined {
  if (tiles.length === 0) return undefined;
  return tiles[Math.min(tiles.length - 1, Math.max(0, Math.floor(fraction * tiles.length)))];
}

/**
 * A clip's thumbnail that scrubs through its strip as the pointer moves across it: the strip's
 * index (strip.json) is fetched on first hover, the strip image is shown one tile at a time.
 */
export function ScrubThumb(props: {
  thumbnail?: string | null;
  strip?: string | null;
  index?: string | null;
}) {
  const [tiles, setTiles] = useState<Tile[] | null>(null);
  // Where the pointer is (0–1), kept so the tile shows as soon as the index arrives.
  const [fraction, setFraction] = useState<number | null>(null);
  const tile = fraction === null ? undefined : tileAt(tiles ?? [], fraction);

  function enter() {
    if (tiles || !props.index) return;
    setTiles([]);
    fetch(props.index)
      .then((r) => r.json() as Promise<{ tiles: Tile[] }>)
      .then((index) => setTiles(index.tiles))
      .catch(() => setTiles([]));
  }

  function move(event: MouseEvent<HTMLDivElement>) {
    const box = event.currentTarget.getBoundingClientRect();
    setFraction((event.clientX - box.left) / box.width);
  }

  // The same box with or without a picture: nothing moves when thumbnails arrive.
  if (!props.thumbnail) return <div className="scrub placeholder" aria-hidden="true" />;
  const scale = tile ? WIDTH / tile.width : 1;
  const stripWidth = Math.max(...(tiles ?? []).map((t) => t.x + t.width), 0);
  return (
    <div
      className="scrub"
      onMouseEnter={enter}
      onMouseMove={move}
      onMouseLeave={() => setFraction(null)}
      data-testid="scrub-thumb"
    >
      {tile && props.strip ? (
        <div
          className="scrub-frame"
          style={{
            backgroundImage: `url(${props.strip})`,
            backgroundPosition: `-${tile.x * scale}px -${tile.y * scale}px`,
            backgroundSize: `${stripWidth * scale}px auto`,
          }}
        />
      ) : (
        <img src={props.thumbnail} alt="" width={WIDTH} height={HEIGHT} />
      )}
    </div>
  );
}
