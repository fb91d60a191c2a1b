/**
 * Binary map frames (docs/protocol.md "Maps", byte by byte): a short header naming the floor and versions, then
 * a body that runs to the end of the frame, zlib-deflated unless that would not make it smaller. Full frames
 * carry the raster as runs of pixels after an "up" filter (each row XORed with the row below, so repeated rows
 * become a single run of zeros), deltas carry only the pose, new path points (zig-zag varint deltas) and changed
 * cells. A typical delta while cleaning (a pose and a path point or two) is about 25 bytes. zlib's Adler-32 check
 * catches corruption; every length is checked before it is used, so a truncated, corrupt or oversized frame fails
 * with a MapFrameError and nothing else. Format 1 (fixed 32-bit header fields) is still read: hubs stored it
 * before format 2, and a robot may still send it.
 */
import { deflateSync, inflateSync } from "node:zlib";
import { validatorFor } from "./envelope.ts";
import {
  MAX_MAP_CELLS,
  MAX_MAP_SIDE,
  type MapDelta,
  type MapMeta,
  MapMetaSchema,
  type MapPose,
  packPixel,
  type RobotMap,
} from "./map-model.ts";

export const MAP_MAGIC = "SWMP";
export const MAP_FORMAT_VERSION = 2;
/** The first format: 32-bit version, base version and lengths in the header, absolute poses in deltas. Read only. */
const MAP_FORMAT_V1 = 1;
export const FrameKind = { full: 1, delta: 2 } as const;
/** Largest map frame on the wire (below the connection's 4 MiB limit, so a bad frame costs no reconnect). */
export const MAX_MAP_FRAME_BYTES = 2 * 1024 * 1024;
/** Largest inflated body: guards against zip bombs. */
export const MAX_MAP_BODY_BYTES = 24 * 1024 * 1024;
const MAX_PATH_POINTS = 200_000;
const MAX_DELTA_RUNS = 100_000;
const MAX_META_BYTES = 256 * 1024;
/** Header flag: the body is not compressed. */
const FLAG_STORED = 1;
/** Delta body flags. */
const DELTA_POSE = 1;
const DELTA_PATH_RESET = 2;
/** Format 2: the pose stands on the delta's last path point; only its angle is sent. */
const DELTA_POSE_AT_PATH_END = 4;
const MAX_VERSION = 0xffff_ffff;

export type MapFrameErrorCode = "truncated" | "corrupt" | "too_large" | "unsupported";

export class MapFrameError extends Error {
  readonly code: MapFrameErrorCode;
  constructor(code: MapFrameErrorCode, message: string) {
    super(message);
    this.name = "MapFrameError";
    this.code = code;
  }
}

export type DecodedFrame = { kind: "full"; map: RobotMap } | { kind: "delta"; delta: MapDelta };

// ---- writing --------------------------------------------------------------------------------------------

class Writer {
  #buf = Buffer.allocUnsafe(4096);
  #len = 0;

  #ensure(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#len + n));
    this.#buf.copy(next, 0, 0, this.#len);
    this.#buf = next;
  }
  u8(v: number): void {
    this.#ensure(1);
    this.#buf[this.#len++] = v;
  }
  u16(v: number): void {
    this.#ensure(2);
    this.#buf.writeUInt16LE(v, this.#len);
    this.#len += 2;
  }
  u32(v: number): void {
    this.#ensure(4);
    this.#buf.writeUInt32LE(v >>> 0, this.#len);
    this.#len += 4;
  }
  i32(v: number): void {
    this.#ensure(4);
    this.#buf.writeInt32LE(v | 0, this.#len);
    this.#len += 4;
  }
  varint(v: number): void {
    let n = v;
    while (n >= 0x80) {
      this.u8((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    this.u8(n);
  }
  zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  bytes(b: Uint8Array): void {
    this.#ensure(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
  }
  done(): Buffer {
    return this.#buf.subarray(0, this.#len);
  }
}

function writePose(w: Writer, pose: MapPose | null): void {
  w.u8(pose ? 1 : 0);
  if (!pose) return;
  w.i32(Math.round(pose.x));
  w.i32(Math.round(pose.y));
  w.u16(Math.round(pose.angle * 10) % 3600);
}

function writePath(
  w: Writer,
  points: readonly { x: number; y: number }[],
  from: { x: number; y: number },
): void {
  w.varint(points.length);
  let px = Math.round(from.x);
  let py = Math.round(from.y);
  for (const p of points) {
    const x = Math.round(p.x);
    const y = Math.round(p.y);
    w.zigzag(x - px);
    w.zigzag(y - py);
    px = x;
    py = y;
  }
}

function frame(kind: number, floor: string, version: number, baseVersion: number, body: Buffer): Buffer {
  const floorBytes = Buffer.from(floor, "utf8");
  if (floorBytes.length < 1 || floorBytes.length > 64) throw new RangeError("floor id must be 1-64 bytes");
  if (!Number.isInteger(version) || version < 0 || version > MAX_VERSION)
    throw new RangeError("version must be a u32");
  if (kind === FrameKind.delta && !(baseVersion >= 0 && baseVersion < version))
    throw new RangeError("a delta's base version must be below its version");
  // Tiny bodies (most deltas: a pose and a path point) grow when deflated; they go as they are (flag bit 0).
  const deflated = deflateSync(body, { level: 6 });
  const stored = deflated.length >= body.length;
  const w = new Writer();
  w.bytes(Buffer.from(MAP_MAGIC, "latin1"));
  w.u8(MAP_FORMAT_VERSION);
  w.u8(kind);
  w.u8(stored ? FLAG_STORED : 0);
  w.u8(floorBytes.length);
  w.bytes(floorBytes);
  w.varint(version);
  if (kind === FrameKind.delta) w.varint(version - baseVersion);
  if (!stored) w.varint(body.length);
  w.bytes(stored ? body : deflated);
  return Buffer.from(w.done());
}

/** The raster as one byte per cell (type | segment << 2), row-major from the bottom row. */
export function packPixels(map: Pick<RobotMap, "cells" | "segments">): Uint8Array {
  const out = new Uint8Array(map.cells.length);
  for (let i = 0; i < out.length; i++) out[i] = packPixel(map.cells[i], map.segments[i]);
  return out;
}

export function encodeFullFrame(map: RobotMap): Buffer {
  const w = new Writer();
  w.u16(map.pixelMm);
  w.i32(map.originX);
  w.i32(map.originY);
  w.u16(map.width);
  w.u16(map.height);
  const meta: MapMeta = { rooms: map.rooms, restrictions: map.restrictions, dock: map.dock };
  const metaBytes = Buffer.from(JSON.stringify(meta), "utf8");
  w.u32(metaBytes.length);
  w.bytes(metaBytes);
  writePose(w, map.robot);
  // Up filter, then runs: (value, varint length) until every cell is covered.
  const pixels = packPixels(map);
  const { width } = map;
  let runValue = -1;
  let runLength = 0;
  for (let i = 0; i < pixels.length; i++) {
    const v = i < width ? pixels[i] : pixels[i] ^ pixels[i - width];
    if (v === runValue) {
      runLength++;
      continue;
    }
    if (runLength > 0) {
      w.u8(runValue);
      w.varint(runLength);
    }
    runValue = v;
    runLength = 1;
  }
  if (runLength > 0) {
    w.u8(runValue);
    w.varint(runLength);
  }
  writePath(w, map.path, { x: 0, y: 0 });
  return frame(FrameKind.full, map.floor, map.version, 0, w.done());
}

/** `lastPathPoint` is the last point the receiver already has (deltas are relative to it), or null. */
export function encodeDeltaFrame(delta: MapDelta, lastPathPoint: { x: number; y: number } | null): Buffer {
  const w = new Writer();
  const { robot, path } = delta;
  const end = path.at(-1);
  // The pose is almost always where the path just ended: then its position is implied and only the angle goes.
  const atPathEnd =
    robot !== null &&
    end !== undefined &&
    Math.round(robot.x) === Math.round(end.x) &&
    Math.round(robot.y) === Math.round(end.y);
  w.u8(
    (robot ? DELTA_POSE : 0) |
      (delta.pathReset ? DELTA_PATH_RESET : 0) |
      (atPathEnd ? DELTA_POSE_AT_PATH_END : 0),
  );
  if (robot) {
    if (!atPathEnd) {
      w.zigzag(Math.round(robot.x));
      w.zigzag(Math.round(robot.y));
    }
    w.u16(Math.round(robot.angle * 10) % 3600);
  }
  writePath(w, path, delta.pathReset || !lastPathPoint ? { x: 0, y: 0 } : lastPathPoint);
  w.varint(delta.cells.length);
  let runEnd = 0;
  for (const run of delta.cells) {
    w.varint(run.start - runEnd);
    w.varint(run.types.length);
    for (let k = 0; k < run.types.length; k++) w.u8(packPixel(run.types[k], run.segments[k]));
    runEnd = run.start + run.types.length;
  }
  return frame(FrameKind.delta, delta.floor, delta.version, delta.baseVersion, w.done());
}

// ---- reading --------------------------------------------------------------------------------------------

class Reader {
  readonly #buf: Buffer;
  #pos = 0;
  constructor(buf: Buffer) {
    this.#buf = buf;
  }
  get left(): number {
    return this.#buf.length - this.#pos;
  }
  #need(n: number): void {
    this.mustHave(n, this.#endMessage);
  }
  /** Refuses (before allocating) a count that needs more bytes than are left. */
  mustHave(n: number, message: string): void {
    if (this.#pos + n > this.#buf.length) throw new MapFrameError(this.#endCode, message);
  }
  #endCode: MapFrameErrorCode = "corrupt";
  #endMessage = "map frame body ends early";
  /** What running out of bytes means here: a truncated frame (header, stored body) or a corrupt body. */
  endsAs(code: MapFrameErrorCode, message: string): this {
    this.#endCode = code;
    this.#endMessage = message;
    return this;
  }
  get pos(): number {
    return this.#pos;
  }
  u8(): number {
    this.#need(1);
    return this.#buf[this.#pos++];
  }
  u16(): number {
    this.#need(2);
    const v = this.#buf.readUInt16LE(this.#pos);
    this.#pos += 2;
    return v;
  }
  u32(): number {
    this.#need(4);
    const v = this.#buf.readUInt32LE(this.#pos);
    this.#pos += 4;
    return v;
  }
  i32(): number {
    this.#need(4);
    const v = this.#buf.readInt32LE(this.#pos);
    this.#pos += 4;
    return v;
  }
  varint(): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 6; i++) {
      const b = this.u8();
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
    throw new MapFrameError("corrupt", "varint longer than 6 bytes");
  }
  rest(): Buffer {
    return this.bytes(this.left);
  }
  zigzag(): number {
    const v = this.varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }
  bytes(n: number): Buffer {
    this.#need(n);
    const b = this.#buf.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return b;
  }
}

/** A pose coordinate: an i32 in millimetres, as in full frames (stored maps re-encode it as one). */
function readCoordinate(r: Reader): number {
  const v = r.zigzag();
  if (v < -0x8000_0000 || v > 0x7fff_ffff) throw new MapFrameError("corrupt", "pose coordinate out of range");
  return v;
}

function readAngle(r: Reader): number {
  const tenths = r.u16();
  if (tenths >= 3600) throw new MapFrameError("corrupt", "pose angle out of range");
  return tenths / 10;
}

function readPose(r: Reader, present: boolean): MapPose | null {
  if (!present) return null;
  const x = r.i32();
  const y = r.i32();
  return { x, y, angle: readAngle(r) };
}

function readPath(r: Reader, from: { x: number; y: number }): { x: number; y: number }[] {
  const n = r.varint();
  if (n > MAX_PATH_POINTS)
    throw new MapFrameError("too_large", `path has more than ${MAX_PATH_POINTS} points`);
  // Each point takes at least two bytes: a count beyond that is a lie, refuse before allocating.
  r.mustHave(n * 2, "path is longer than the frame");
  const out: { x: number; y: number }[] = new Array(n);
  let x = from.x;
  let y = from.y;
  for (let i = 0; i < n; i++) {
    x += r.zigzag();
    y += r.zigzag();
    out[i] = { x, y };
  }
  return out;
}

/** Reads one binary map frame; throws MapFrameError for anything that is not a well-formed frame. */
export function decodeMapFrame(
  data: Buffer,
  lastPathPoint:
    | { x: number; y: number }
    | null
    | ((floor: string) => { x: number; y: number } | null) = null,
): DecodedFrame {
  if (data.length > MAX_MAP_FRAME_BYTES) {
    throw new MapFrameError("too_large", `map frames are limited to ${MAX_MAP_FRAME_BYTES} bytes`);
  }
  const h = new Reader(data).endsAs("truncated", "map frame header is incomplete");
  if (h.bytes(4).toString("latin1") !== MAP_MAGIC)
    throw new MapFrameError("corrupt", "not a map frame (magic)");
  const format = h.u8();
  if (format !== MAP_FORMAT_VERSION && format !== MAP_FORMAT_V1) {
    throw new MapFrameError("unsupported", `map frame format ${format} is not supported`);
  }
  const kind = h.u8();
  if (kind !== FrameKind.full && kind !== FrameKind.delta) {
    throw new MapFrameError("unsupported", `unknown map frame kind ${kind}`);
  }
  const flags = h.u8();
  if ((flags & ~FLAG_STORED) !== 0)
    throw new MapFrameError("unsupported", `unknown map frame flags ${flags}`);
  const stored = (flags & FLAG_STORED) !== 0;
  const floorLength = h.u8();
  if (floorLength < 1 || floorLength > 64) throw new MapFrameError("corrupt", "bad floor id length");
  const floor = h.bytes(floorLength).toString("utf8");
  const header = format === MAP_FORMAT_V1 ? readV1Header(h, data.length) : readHeader(h, kind, stored);
  const { version, baseVersion, rawLength } = header;
  if (rawLength > MAX_MAP_BODY_BYTES) throw new MapFrameError("too_large", "map frame body is too large");
  const packed = h.rest();
  if (packed.length === 0) throw new MapFrameError("truncated", "map frame body is missing");
  let body: Buffer;
  try {
    if (stored) body = packed;
    else {
      // zlib stops at the end of its stream and ignores what follows: count what it consumed.
      const out = inflateSync(packed, { maxOutputLength: Math.max(1, rawLength), info: true }) as unknown as {
        buffer: Buffer;
        engine: { bytesWritten: number };
      };
      if (out.engine.bytesWritten !== packed.length)
        throw new MapFrameError("corrupt", "bytes after the compressed body");
      body = out.buffer;
    }
  } catch (err) {
    if (err instanceof MapFrameError) throw err;
    const code = (err as { code?: string }).code;
    if (code === "ERR_BUFFER_TOO_LARGE") throw new MapFrameError("corrupt", "body is larger than announced");
    if (code === "Z_BUF_ERROR") throw new MapFrameError("truncated", "compressed body ends early");
    throw new MapFrameError("corrupt", "compressed body is damaged");
  }
  // Format 2 announces R only for compressed bodies; format 1 always did.
  if ((!stored || format === MAP_FORMAT_V1) && body.length !== rawLength)
    throw new MapFrameError("corrupt", "body length differs from the header");
  // A stored format-2 body runs to the end of the frame: running out of bytes there means the frame was cut.
  const r =
    stored && format === MAP_FORMAT_VERSION
      ? new Reader(body).endsAs("truncated", "map frame body ends early")
      : new Reader(body);
  if (kind === FrameKind.full) return { kind: "full", map: readFull(r, floor, version) };
  const last = typeof lastPathPoint === "function" ? lastPathPoint(floor) : lastPathPoint;
  return { kind: "delta", delta: readDelta(r, format, floor, version, baseVersion, last) };
}

interface FrameHeader {
  version: number;
  baseVersion: number;
  /** The body's length after decompression; 0 (unused) for a stored format-2 body. */
  rawLength: number;
}

function readHeader(h: Reader, kind: number, stored: boolean): FrameHeader {
  const version = h.varint();
  if (version > MAX_VERSION) throw new MapFrameError("corrupt", "version is larger than a u32");
  let baseVersion = 0;
  if (kind === FrameKind.delta) {
    const step = h.varint();
    if (step < 1 || step > version) throw new MapFrameError("corrupt", "bad delta version step");
    baseVersion = version - step;
  }
  return { version, baseVersion, rawLength: stored ? 0 : h.varint() };
}

function readV1Header(h: Reader, frameLength: number): FrameHeader {
  const version = h.u32();
  const baseVersion = h.u32();
  const packedLength = h.u32();
  const rawLength = h.u32();
  const left = frameLength - h.pos;
  if (left < packedLength) throw new MapFrameError("truncated", "map frame body is incomplete");
  if (left > packedLength) throw new MapFrameError("corrupt", "bytes after the map frame body");
  return { version, baseVersion, rawLength };
}

function readFull(r: Reader, floor: string, version: number): RobotMap {
  const pixelMm = r.u16();
  const originX = r.i32();
  const originY = r.i32();
  const width = r.u16();
  const height = r.u16();
  if (pixelMm < 1) throw new MapFrameError("corrupt", "pixel size is zero");
  if (width > MAX_MAP_SIDE || height > MAX_MAP_SIDE || width * height > MAX_MAP_CELLS) {
    throw new MapFrameError("too_large", `maps are limited to ${MAX_MAP_SIDE} x ${MAX_MAP_SIDE} cells`);
  }
  const metaLength = r.u32();
  if (metaLength > MAX_META_BYTES) throw new MapFrameError("too_large", "map metadata is too large");
  let meta: unknown;
  try {
    meta = JSON.parse(r.bytes(metaLength).toString("utf8"));
  } catch (err) {
    if (err instanceof MapFrameError) throw err;
    throw new MapFrameError("corrupt", "map metadata is not JSON");
  }
  if (!validatorFor(MapMetaSchema).Check(meta)) throw new MapFrameError("corrupt", "map metadata is invalid");
  const m = meta as MapMeta;
  const robot = readPose(r, r.u8() === 1);
  const n = width * height;
  const cells = new Uint8Array(n);
  const segments = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    const value = r.u8();
    const length = r.varint();
    if (length < 1 || i + length > n) throw new MapFrameError("corrupt", "pixel runs overflow the raster");
    for (const end = i + length; i < end; i++) {
      const v = i < width ? value : value ^ (cells[i - width] | (segments[i - width] << 2));
      cells[i] = v & 3;
      segments[i] = v >> 2;
    }
  }
  const path = readPath(r, { x: 0, y: 0 });
  if (r.left !== 0) throw new MapFrameError("corrupt", "bytes after the path");
  return {
    floor,
    version,
    pixelMm,
    originX,
    originY,
    width,
    height,
    cells,
    segments,
    rooms: m.rooms,
    restrictions: m.restrictions,
    dock: m.dock,
    robot,
    path,
  };
}

function readDelta(
  r: Reader,
  format: number,
  floor: string,
  version: number,
  baseVersion: number,
  lastPathPoint: { x: number; y: number } | null,
): MapDelta {
  const flags = r.u8();
  const known = format === MAP_FORMAT_V1 ? DELTA_POSE | DELTA_PATH_RESET : 7;
  if ((flags & ~known) !== 0) throw new MapFrameError("corrupt", "unknown delta flags");
  const hasPose = (flags & DELTA_POSE) !== 0;
  const atPathEnd = (flags & DELTA_POSE_AT_PATH_END) !== 0;
  if (atPathEnd && !hasPose)
    throw new MapFrameError("corrupt", "delta flags: a path-end pose without a pose");
  let robot: MapPose | null = null;
  if (format === MAP_FORMAT_V1) robot = readPose(r, hasPose);
  else if (hasPose) {
    const x = atPathEnd ? 0 : readCoordinate(r);
    const y = atPathEnd ? 0 : readCoordinate(r);
    robot = { x, y, angle: readAngle(r) };
  }
  const pathReset = (flags & DELTA_PATH_RESET) !== 0;
  const path = readPath(r, pathReset || !lastPathPoint ? { x: 0, y: 0 } : lastPathPoint);
  if (robot && atPathEnd) {
    const end = path.at(-1);
    if (!end) throw new MapFrameError("corrupt", "a path-end pose in a delta without path points");
    robot.x = end.x;
    robot.y = end.y;
  }
  const runCount = r.varint();
  // Each run costs the receiver an object: a bound keeps a hostile delta from eating memory.
  if (runCount > MAX_DELTA_RUNS)
    throw new MapFrameError("too_large", `more than ${MAX_DELTA_RUNS} cell runs`);
  const cells: MapDelta["cells"] = [];
  let end = 0;
  for (let k = 0; k < runCount; k++) {
    const start = end + r.varint();
    const length = r.varint();
    if (length < 1 || start + length > MAX_MAP_CELLS)
      throw new MapFrameError("corrupt", "cell run out of range");
    const raw = r.bytes(length);
    const types = new Uint8Array(length);
    const segs = new Uint8Array(length);
    for (let j = 0; j < length; j++) {
      types[j] = raw[j] & 3;
      segs[j] = raw[j] >> 2;
    }
    cells.push({ start, types, segments: segs });
    end = start + length;
  }
  if (r.left !== 0) throw new MapFrameError("corrupt", "bytes after the cell runs");
  return { floor, baseVersion, version, robot, pathReset, path, cells };
}

/**
 * Applies a delta to a map in place. The caller checks `delta.baseVersion === map.version` first (a mismatch
 * needs a full resync); a cell run outside this map's raster is a corrupt delta and changes nothing.
 */
export function applyMapDelta(map: RobotMap, delta: MapDelta): void {
  const n = map.width * map.height;
  for (const run of delta.cells) {
    if (run.start + run.types.length > n)
      throw new MapFrameError("corrupt", "delta cells lie outside the map");
  }
  for (const run of delta.cells) {
    map.cells.set(run.types, run.start);
    map.segments.set(run.segments, run.start);
  }
  if (delta.robot) map.robot = delta.robot;
  if (delta.pathReset) map.path = [];
  for (const p of delta.path) map.path.push(p);
  map.version = delta.version;
}
