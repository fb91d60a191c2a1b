/**
 * A map as a PNG for sharing and for Home Assistant's image entities: rooms in their colours with names, walls,
 * obstacles, restrictions, the session's path, the dock and the robot. Drawn with @napi-rs/canvas (Skia); the
 * raster goes in as one ImageData, the rest as vector shapes on top.
 */
import { createCanvas } from "@napi-rs/canvas";
import { MapCell, type RobotMap } from "../../integrations/sweep/protocol/map-model.ts";
import type { MapJsonRoom } from "./map-json.ts";

export const MAX_PNG_SCALE = 8;
/** Larger images are refused: a 4096-cell map at scale 8 would need 1 GiB of pixels. */
export const MAX_PNG_PIXELS = 16_000_000;

const FLOOR = [236, 239, 244];
const WALL = [55, 63, 81];
const OBSTACLE = [160, 167, 180];

const hexRgb = (hex: string) => [1, 3, 5].map((k) => Number.parseInt(hex.slice(k, k + 2), 16));

/** Renders the map; `scale` is image pixels per map cell. Returns the PNG bytes. */
export async function renderMapPng(
  map: RobotMap,
  rooms: readonly MapJsonRoom[],
  scale: number,
): Promise<Buffer> {
  const w = map.width * scale;
  const h = map.height * scale;
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext("2d");
  const bySegment = new Map(rooms.map((r) => [r.segment, hexRgb(r.color)]));

  // Raster: one pixel per cell, then scaled up without smoothing (crisp walls).
  const cellsCanvas = createCanvas(map.width, map.height);
  const cctx = cellsCanvas.getContext("2d");
  const image = cctx.createImageData(map.width, map.height);
  const px = image.data;
  for (let row = 0; row < map.height; row++) {
    for (let col = 0; col < map.width; col++) {
      const i = row * map.width + col;
      const o = ((map.height - 1 - row) * map.width + col) * 4;
      const type = map.cells[i];
      const rgb =
        type === MapCell.wall
          ? WALL
          : type === MapCell.obstacle
            ? OBSTACLE
            : type === MapCell.floor
              ? (bySegment.get(map.segments[i]) ?? FLOOR)
              : null;
      if (!rgb) continue;
      px[o] = rgb[0];
      px[o + 1] = rgb[1];
      px[o + 2] = rgb[2];
      px[o + 3] = 255;
    }
  }
  cctx.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(cellsCanvas, 0, 0, w, h);

  // Map millimetres to image pixels (y flipped: the map's y goes up).
  const k = scale / map.pixelMm;
  const X = (x: number) => (x - map.originX) * k;
  const Y = (y: number) => h - (y - map.originY) * k;
  const line = Math.max(1, scale * 0.6);

  for (const r of map.restrictions) {
    if (r.kind === "virtual_wall") {
      ctx.strokeStyle = "rgba(220, 38, 38, 0.95)";
      ctx.lineWidth = line * 2;
      ctx.beginPath();
      ctx.moveTo(X(r.x1), Y(r.y1));
      ctx.lineTo(X(r.x2), Y(r.y2));
      ctx.stroke();
      continue;
    }
    const color = r.kind === "no_go" ? [220, 38, 38] : [37, 99, 235];
    const x = Math.min(X(r.x1), X(r.x2));
    const y = Math.min(Y(r.y1), Y(r.y2));
    const rw = Math.abs(X(r.x2) - X(r.x1));
    const rh = Math.abs(Y(r.y2) - Y(r.y1));
    ctx.fillStyle = `rgba(${color.join(",")}, 0.22)`;
    ctx.fillRect(x, y, rw, rh);
    ctx.strokeStyle = `rgba(${color.join(",")}, 0.9)`;
    ctx.lineWidth = line;
    ctx.strokeRect(x, y, rw, rh);
  }

  if (map.path.length > 1) {
    ctx.strokeStyle = "rgba(255, 255, 255, 0.85)";
    ctx.lineWidth = line;
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(X(map.path[0].x), Y(map.path[0].y));
    for (const p of map.path.slice(1)) ctx.lineTo(X(p.x), Y(p.y));
    ctx.stroke();
  }

  const fontPx = Math.max(10, Math.round(scale * 7));
  ctx.font = `600 ${fontPx}px sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  for (const room of rooms) {
    ctx.fillStyle = "rgba(17, 24, 39, 0.85)";
    ctx.fillText(room.name, X(room.label.x), Y(room.label.y));
  }

  const marker = Math.max(4, (150 / map.pixelMm) * scale);
  if (map.dock) {
    ctx.fillStyle = "#16a34a";
    ctx.fillRect(X(map.dock.x) - marker / 2, Y(map.dock.y) - marker / 2, marker, marker);
  }
  if (map.robot) {
    const { x, y, angle } = map.robot;
    ctx.fillStyle = "#f59e0b";
    ctx.strokeStyle = "#1f2937";
    ctx.lineWidth = Math.max(1, marker / 6);
    ctx.beginPath();
    ctx.arc(X(x), Y(y), marker * 0.75, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
    const a = (angle * Math.PI) / 180;
    ctx.beginPath();
    ctx.moveTo(X(x), Y(y));
    ctx.lineTo(X(x) + Math.cos(a) * marker, Y(y) - Math.sin(a) * marker);
    ctx.stroke();
  }
  return canvas.encode("png");
}
