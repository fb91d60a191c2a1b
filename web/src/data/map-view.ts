/**
 * Viewport math of the map canvas: the map frame is millimetres with y up (docs/protocol.md), the screen is
 * CSS pixels with y down. Pure functions, unit-tested, so pan, zoom, pinch and tap-to-point agree exactly.
 */
export interface Viewport {
  /** CSS pixels per millimetre. */
  scale: number;
  /** Screen position of the map origin. */
  tx: number;
  ty: number;
}

export interface Bounds {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Point {
  x: number;
  y: number;
}

export const MIN_SCALE = 0.005;
export const MAX_SCALE = 1;

export const toScreen = (v: Viewport, p: Point): Point => ({
  x: p.x * v.scale + v.tx,
  y: -p.y * v.scale + v.ty,
});

export const toWorld = (v: Viewport, s: Point): Point => ({
  x: (s.x - v.tx) / v.scale,
  y: -(s.y - v.ty) / v.scale,
});

/** The viewport showing `b` whole and centred in a `width` x `height` canvas with `padding` pixels around. */
export function fitBounds(b: Bounds, width: number, height: number, padding = 16): Viewport {
  const w = Math.max(1, b.x2 - b.x1);
  const h = Math.max(1, b.y2 - b.y1);
  const scale = clampScale(Math.min((width - 2 * padding) / w, (height - 2 * padding) / h));
  const cx = (b.x1 + b.x2) / 2;
  const cy = (b.y1 + b.y2) / 2;
  return { scale, tx: width / 2 - cx * scale, ty: height / 2 + cy * scale };
}

export const clampScale = (s: number): number => Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));

/** Zooms by `factor` keeping the map point under screen point `at` where it is (wheel, pinch, buttons). */
export function zoomAt(v: Viewport, factor: number, at: Point): Viewport {
  const scale = clampScale(v.scale * factor);
  const world = toWorld(v, at);
  return { scale, tx: at.x - world.x * scale, ty: at.y + world.y * scale };
}

export const pan = (v: Viewport, dx: number, dy: number): Viewport => ({
  ...v,
  tx: v.tx + dx,
  ty: v.ty + dy,
});

/**
 * One pinch step: the map point under the old midpoint of two fingers ends under the new midpoint, scaled by
 * how much the fingers spread apart.
 */
export function pinch(v: Viewport, before: [Point, Point], after: [Point, Point]): Viewport {
  const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
  const mid = (a: Point, b: Point) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
  const d0 = dist(...before);
  const factor = d0 > 0 ? dist(...after) / d0 : 1;
  const m0 = mid(...before);
  const m1 = mid(...after);
  return pan(zoomAt(v, factor, m0), m1.x - m0.x, m1.y - m0.y);
}

/** The axis-aligned rectangle (map frame, x1 < x2, y1 < y2) between two screen points: a drawn zone. */
export function screenRectToZone(v: Viewport, a: Point, b: Point): Bounds {
  const p = toWorld(v, a);
  const q = toWorld(v, b);
  return {
    x1: Math.round(Math.min(p.x, q.x)),
    y1: Math.round(Math.min(p.y, q.y)),
    x2: Math.round(Math.max(p.x, q.x)),
    y2: Math.round(Math.max(p.y, q.y)),
  };
}

/** Smallest bounds holding all points, grown by `margin` mm; null for no points. */
export function boundsOf(points: Iterable<Point>, margin = 0): Bounds | null {
  let b: Bounds | null = null;
  for (const p of points) {
    if (!b) b = { x1: p.x, y1: p.y, x2: p.x, y2: p.y };
    else {
      b.x1 = Math.min(b.x1, p.x);
      b.y1 = Math.min(b.y1, p.y);
      b.x2 = Math.max(b.x2, p.x);
      b.y2 = Math.max(b.y2, p.y);
    }
  }
  return b && { x1: b.x1 - margin, y1: b.y1 - margin, x2: b.x2 + margin, y2: b.y2 + margin };
}
