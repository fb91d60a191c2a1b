/**
 * Binary map frames (docs/protocol.md §8): full and delta frames round-trip exactly, the byte layout matches the
 * documented header, and every kind of bad frame fails with a MapFrameError and nothing else.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deflateSync } from "node:zlib";
import {
  applyMapDelta,
  decodeMapFrame,
  encodeDeltaFrame,
  encodeFullFrame,
  MAX_MAP_FRAME_BYTES,
  MapFrameError,
} from "../../../../integrations/sweep/protocol/map-frame.ts";
import { MapCell, type MapDelta, type RobotMap } from "../../../../integrations/sweep/protocol/map-model.ts";
import { rasteriseFloor } from "../../../../integrations/sweep/simulator/occupancy-grid.ts";
import { apartment } from "../../../../integrations/sweep/simulator/plans/apartment.ts";

function apartmentMap(): RobotMap {
  const g = rasteriseFloor(apartment.floors[0], 50);
  const segments = new Uint8Array(g.cells.length);
  for (let i = 0; i < segments.length; i++) {
    segments[i] = g.cells[i] === 1 || g.cells[i] === 3 ? g.roomIndex[i] + 1 : 0;
  }
  return {
    floor: "main",
    version: 42,
    pixelMm: 50,
    originX: 0,
    originY: 0,
    width: g.width,
    height: g.height,
    cells: Uint8Array.from(g.cells),
    segments,
    rooms: g.rooms.map((r, i) => ({ id: r.id, name: r.name, segment: i + 1, areaM2: r.areaM2 })),
    restrictions: [{ id: "r1", kind: "no_go", x1: 100, y1: 100, x2: 900, y2: 700 }],
    dock: { x: 3000, y: 250, angle: 90 },
    robot: { x: 3000, y: 1250, angle: 271.5 },
    path: [
      { x: 3000, y: 250 },
      { x: 3000, y: 1250 },
      { x: -20, y: 1250 },
    ],
  };
}

const rejects = (data: Buffer, code: MapFrameError["code"]) =>
  assert.throws(
    () => decodeMapFrame(data),
    (e: unknown) => e instanceof MapFrameError && e.code === code,
  );

describe("map frames", () => {
  it("round-trips a full map exactly and compactly", () => {
    const map = apartmentMap();
    const frame = encodeFullFrame(map);
    const decoded = decodeMapFrame(frame);
    assert.equal(decoded.kind, "full");
    assert.deepEqual(decoded.kind === "full" && decoded.map, map);
    assert.ok(frame.length < 2_000, `200 x 170 map in ${frame.length} bytes`);
  });

  it("has the documented header", () => {
    const frame = encodeFullFrame(apartmentMap());
    assert.equal(frame.toString("latin1", 0, 4), "SWMP");
    assert.equal(frame[4], 1, "format version");
    assert.equal(frame[5], 1, "kind full");
    assert.equal(frame[7], 4, "floor id length");
    assert.equal(frame.toString("utf8", 8, 12), "main");
    assert.equal(frame.readUInt32LE(12), 42, "version");
    assert.equal(frame.readUInt32LE(16), 0, "base version of a full frame");
    assert.equal(frame.readUInt32LE(20), frame.length - 28, "compressed body length");
  });

  it("round-trips deltas, relative to the receiver's last path point, and applies them", () => {
    const map = apartmentMap();
    const delta: MapDelta = {
      floor: "main",
      baseVersion: 42,
      version: 43,
      robot: { x: 1500, y: 1300, angle: 180 },
      pathReset: false,
      path: [
        { x: -20, y: 1400 },
        { x: 1500, y: 1300 },
      ],
      cells: [
        { start: 5, types: Uint8Array.of(MapCell.floor, MapCell.wall), segments: Uint8Array.of(1, 0) },
        { start: 900, types: Uint8Array.of(MapCell.obstacle), segments: Uint8Array.of(3) },
      ],
    };
    const frame = encodeDeltaFrame(delta, map.path.at(-1)!);
    assert.ok(frame.length < 80, `delta is ${frame.length} bytes`);
    const decoded = decodeMapFrame(frame, map.path.at(-1)!);
    assert.equal(decoded.kind, "delta");
    if (decoded.kind !== "delta") return;
    assert.deepEqual(decoded.delta, delta);
    applyMapDelta(map, decoded.delta);
    assert.equal(map.version, 43);
    assert.equal(map.cells[6], MapCell.wall);
    assert.equal(map.segments[900], 3);
    assert.deepEqual(map.path.at(-1), { x: 1500, y: 1300 });
    assert.deepEqual(map.robot, delta.robot);
    // The documented example: a pose-only delta body.
    const poseOnly = encodeDeltaFrame(
      {
        floor: "main",
        baseVersion: 7,
        version: 8,
        robot: { x: 1200, y: 800, angle: 90 },
        pathReset: false,
        path: [],
        cells: [],
      },
      null,
    );
    assert.equal(
      poseOnly.subarray(0, 20).toString("hex"),
      "53574d5001020104" + "6d61696e" + "08000000" + "07000000",
    );
  });

  it("a delta's cells outside the map change nothing", () => {
    const map = apartmentMap();
    const before = Buffer.from(map.cells);
    assert.throws(
      () =>
        applyMapDelta(map, {
          floor: "main",
          baseVersion: 42,
          version: 43,
          robot: null,
          pathReset: false,
          path: [],
          cells: [
            { start: 0, types: Uint8Array.of(2), segments: Uint8Array.of(0) },
            { start: map.cells.length, types: Uint8Array.of(1), segments: Uint8Array.of(0) },
          ],
        }),
      MapFrameError,
    );
    assert.deepEqual(Buffer.from(map.cells), before);
    assert.equal(map.version, 42);
  });

  it("rejects truncated, corrupt, oversized and unknown frames", () => {
    const frame = encodeFullFrame(apartmentMap());
    rejects(frame.subarray(0, 10), "truncated");
    rejects(frame.subarray(0, frame.length - 1), "truncated");
    rejects(Buffer.concat([frame, Buffer.of(0)]), "corrupt");
    const flipped = Buffer.from(frame);
    flipped[flipped.length - 3] ^= 0x55;
    rejects(flipped, "corrupt");
    const magic = Buffer.from(frame);
    magic[0] = 0x58;
    rejects(magic, "corrupt");
    const format = Buffer.from(frame);
    format[4] = 9;
    rejects(format, "unsupported");
    const kind = Buffer.from(frame);
    kind[5] = 7;
    rejects(kind, "unsupported");
    rejects(Buffer.alloc(MAX_MAP_FRAME_BYTES + 1), "too_large");
    rejects(Buffer.from('{"not":"binary"}'), "truncated");
  });

  it("refuses bodies that lie about their size, and zip bombs", () => {
    const frame = encodeFullFrame(apartmentMap());
    const rawLengthAt = 8 + 4 + 12;
    const smaller = Buffer.from(frame);
    smaller.writeUInt32LE(smaller.readUInt32LE(rawLengthAt) - 1, rawLengthAt);
    rejects(smaller, "corrupt");
    // 100 MB of zeros deflate to ~100 kB: refused from the header, before inflating.
    const bomb = deflateSync(Buffer.alloc(100 * 1024 * 1024));
    const header = Buffer.alloc(28);
    header.write("SWMP", 0, "latin1");
    header[4] = 1;
    header[5] = 1;
    header[7] = 4;
    header.write("main", 8);
    header.writeUInt32LE(bomb.length, 20);
    header.writeUInt32LE(100 * 1024 * 1024, 24);
    rejects(Buffer.concat([header, bomb]), "too_large");
    // A body that says it is small but inflates to more is cut off at the announced size.
    header.writeUInt32LE(1000, 24);
    rejects(Buffer.concat([header, bomb]), "corrupt");
  });

  it("refuses deltas with more cell runs than any robot sends", () => {
    const runs = Array.from({ length: 100_001 }, (_, k) => ({
      start: k * 2,
      types: Uint8Array.of(1),
      segments: Uint8Array.of(0),
    }));
    const frame = encodeDeltaFrame(
      { floor: "main", baseVersion: 1, version: 2, robot: null, pathReset: false, path: [], cells: runs },
      null,
    );
    rejects(frame, "too_large");
  });

  it("refuses bodies whose content does not add up", () => {
    const body = (write: (b: Buffer) => Buffer) => {
      const frame = encodeFullFrame(apartmentMap());
      const header = frame.subarray(0, 28);
      const raw = write(Buffer.alloc(0));
      const packed = deflateSync(raw);
      const h = Buffer.from(header);
      h.writeUInt32LE(packed.length, 20);
      h.writeUInt32LE(raw.length, 24);
      return Buffer.concat([h, packed]);
    };
    // A 5000-cell-wide raster is too large.
    const wide = Buffer.alloc(14);
    wide.writeUInt16LE(50, 0);
    wide.writeUInt16LE(5000, 10);
    wide.writeUInt16LE(10, 12);
    rejects(
      body(() => wide),
      "too_large",
    );
    // Metadata that is not the schema.
    const meta = Buffer.from(JSON.stringify({ rooms: "many" }));
    const bad = Buffer.alloc(18 + meta.length);
    bad.writeUInt16LE(50, 0);
    bad.writeUInt16LE(2, 10);
    bad.writeUInt16LE(2, 12);
    bad.writeUInt32LE(meta.length, 14);
    meta.copy(bad, 18);
    rejects(
      body(() => bad),
      "corrupt",
    );
  });
});
