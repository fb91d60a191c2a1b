/**
 * Recognising rooms after a robot re-mapped a floor: its new segments come with new ids, but a room is still
 * where it was. Segments are matched by overlap (intersection over union of their cells, compared in map
 * millimetres so a shifted or re-scaled raster still matches), and only rooms whose ids disappeared are
 * candidates, so ordinary edits never move a user's settings.
 */
import type { RobotMap } from "../../integrations/sweep/protocol/map-model.ts";

/** Below this overlap two segments are different rooms (a merge or split is not a re-map). */
export const MIN_ROOM_IOU = 0.5;

/** New room id -> old room id, for rooms that vanished from `prev` and reappear in `next` under a new id. */
export function matchRenamedRooms(
  prev: RobotMap,
  next: RobotMap,
  minIoU = MIN_ROOM_IOU,
): Map<string, string> {
  const nextIds = new Set(next.rooms.map((r) => r.id));
  const prevIds = new Set(prev.rooms.map((r) => r.id));
  const gone = prev.rooms.filter((r) => !nextIds.has(r.id));
  const fresh = next.rooms.filter((r) => !prevIds.has(r.id));
  const out = new Map<string, string>();
  if (gone.length === 0 || fresh.length === 0) return out;

  const prevSize = new Map<number, number>();
  for (const s of prev.segments) if (s) prevSize.set(s, (prevSize.get(s) ?? 0) + 1);
  const nextSize = new Map<number, number>();
  const overlap = new Map<string, number>();
  const sameRaster =
    prev.width === next.width &&
    prev.height === next.height &&
    prev.pixelMm === next.pixelMm &&
    prev.originX === next.originX &&
    prev.originY === next.originY;
  for (let i = 0; i < next.segments.length; i++) {
    const s = next.segments[i];
    if (!s) continue;
    nextSize.set(s, (nextSize.get(s) ?? 0) + 1);
    const j = sameRaster ? i : prevIndex(prev, next, i);
    const p = j >= 0 ? prev.segments[j] : 0;
    if (p) overlap.set(`${s}:${p}`, (overlap.get(`${s}:${p}`) ?? 0) + 1);
  }
  const candidates: { newId: string; oldId: string; iou: number }[] = [];
  for (const n of fresh) {
    for (const o of gone) {
      // In square millimetres, so rasters of different resolution compare fairly.
      const inter = (overlap.get(`${n.segment}:${o.segment}`) ?? 0) * next.pixelMm ** 2;
      if (inter === 0) continue;
      const union =
        (nextSize.get(n.segment) ?? 0) * next.pixelMm ** 2 +
        (prevSize.get(o.segment) ?? 0) * prev.pixelMm ** 2 -
        inter;
      const iou = inter / union;
      if (iou >= minIoU) candidates.push({ newId: n.id, oldId: o.id, iou });
    }
  }
  // Best overlaps first; each room is matched at most once.
  candidates.sort((a, b) => b.iou - a.iou);
  const used = new Set<string>();
  for (const c of candidates) {
    if (out.has(c.newId) || used.has(c.oldId)) continue;
    out.set(c.newId, c.oldId);
    used.add(c.oldId);
  }
  return out;
}

function prevIndex(prev: RobotMap, next: RobotMap, i: number): number {
  const x = next.originX + ((i % next.width) + 0.5) * next.pixelMm;
  const y = next.originY + (Math.floor(i / next.width) + 0.5) * next.pixelMm;
  const col = Math.floor((x - prev.originX) / prev.pixelMm);
  const row = Math.floor((y - prev.originY) / prev.pixelMm);
  if (col < 0 || row < 0 || col >= prev.width || row >= prev.height) return -1;
  return row * prev.width + col;
}
