/**
 * Binary map frames (docs/protocol.md §8): full and delta frames round-trip exactly, the byte layout matches the
 * documented header, and every kind of bad frame fails with a MapFrameError and nothing else.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { deflateSync, inflateSync } from "node:zlib";
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

/** A format-2 full frame of floor "main", version 42, around a given zlib stream and announced raw length. */
function compressedFullFrame(packed: Buffer, rawLength: number): Buffer {
  const varint = (n: number) => {
    const out: number[] = [];
    for (let v = n; ; v = Math.floor(v / 128)) {
      if (v < 0x80) return [...out, v];
      out.push((v & 0x7f) | 0x80);
    }
  };
  return Buffer.concat([
    Buffer.from("53574d5002010004" + "6d61696e" + "2a", "hex"),
    Buffer.from(varint(rawLength)),
    packed,
  ]);
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
    assert.equal(frame[4], 2, "format version");
    assert.equal(frame[5], 1, "kind full");
    assert.equal(frame[6], 0, "flags: compressed");
    assert.equal(frame[7], 4, "floor id length");
    assert.equal(frame.toString("utf8", 8, 12), "main");
    assert.equal(frame[12], 42, "version (varint)");
    // A full frame has no base version: the raw body length (varint) follows, then the zlib stream to the end.
    let rawLength = 0;
    let at = 13;
    for (let shift = 0; ; shift += 7) {
      rawLength += (frame[at] & 0x7f) * 2 ** shift;
      if (frame[at++] < 0x80) break;
    }
    assert.equal(inflateSync(frame.subarray(at)).length, rawLength, "raw length");
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
    // The documented example: a delta whose pose stands on its one new path point.
    const typical = encodeDeltaFrame(
      {
        floor: "main",
        baseVersion: 7,
        version: 8,
        robot: { x: 1200, y: 800, angle: 90 },
        pathReset: false,
        path: [{ x: 1200, y: 800 }],
        cells: [],
      },
      { x: 1150, y: 800 },
    );
    assert.equal(
      typical.toString("hex"),
      "53574d5002020104" + "6d61696e" + "0801" + "05" + "8403" + "01" + "6400" + "00",
    );
    assert.equal(typical.length, 21);
    // docs/protocol.md §8.3 shows the same bytes: the specification's example is what the encoder writes.
    const doc = readFileSync(new URL("../../../../docs/protocol.md", import.meta.url), "utf8").replace(
      /\s+/g,
      " ",
    );
    const hex = (text: string) => text.replace(/ /g, "").toLowerCase();
    const body = /The body `([0-9A-F ]+)`/.exec(doc)?.[1];
    const header = /behind the header `([0-9A-F ]+)`/.exec(doc)?.[1];
    assert.ok(body && header, "the example is in docs/protocol.md");
    assert.equal(hex(header) + hex(body), typical.toString("hex"));
    assert.match(doc, /21 bytes in all/);
    // The body runs to the end of the frame: every cut-off prefix is refused as truncated, never misread.
    for (let n = 0; n < typical.length; n++) rejects(typical.subarray(0, n), "truncated");
    rejects(Buffer.concat([typical, Buffer.of(0)]), "corrupt");
  });

  it("sends a pose off the path with its position, and a path-end pose with its angle only", () => {
    const base = { floor: "main", baseVersion: 7, version: 9, pathReset: false, cells: [] };
    for (const delta of [
      { ...base, robot: { x: -1200, y: 800, angle: 359.9 }, path: [] },
      { ...base, robot: { x: 10, y: 20, angle: 0 }, path: [{ x: 10, y: 25 }] },
      { ...base, robot: { x: 10, y: 25, angle: 45 }, path: [{ x: 10, y: 25 }], pathReset: true },
      { ...base, robot: null, path: [{ x: 3, y: 4 }] },
    ] satisfies MapDelta[]) {
      const decoded = decodeMapFrame(encodeDeltaFrame(delta, { x: 0, y: 5 }), { x: 0, y: 5 });
      assert.deepEqual(decoded.kind === "delta" && decoded.delta, delta);
    }
    // A path-end pose without path points cannot be placed; a path-end flag without a pose is meaningless.
    const header = "53574d5002020104" + "6d61696e" + "0902";
    rejects(Buffer.from(`${header}05c201` + "00" + "00", "hex"), "corrupt");
    rejects(Buffer.from(`${header}04` + "00" + "00", "hex"), "corrupt");
    rejects(Buffer.from(`${header}08` + "00" + "00", "hex"), "corrupt");
    // A pose beyond the i32 range (what stored maps keep) is corrupt: x = 3e9 as zigzag varint.
    const far = Buffer.alloc(6);
    let z = 6e9;
    let n = 0;
    while (z >= 0x80) {
      far[n++] = (z % 128) | 0x80;
      z = Math.floor(z / 128);
    }
    far[n++] = z;
    rejects(
      Buffer.concat([
        Buffer.from(`${header}01`, "hex"),
        far.subarray(0, n),
        Buffer.from("00" + "0000" + "00" + "00", "hex"),
      ]),
      "corrupt",
    );
    // Versions: a step of 0 or past version 0 is corrupt.
    rejects(Buffer.from("53574d5002020104" + "6d61696e" + "0900" + "00" + "00" + "00", "hex"), "corrupt");
    rejects(Buffer.from("53574d5002020104" + "6d61696e" + "090a" + "00" + "00" + "00", "hex"), "corrupt");
  });

  it("still reads format 1 frames (stored by earlier hubs)", () => {
    const map = apartmentMap();
    const v2 = encodeFullFrame(map);
    const body = inflateSync(v2.subarray(15));
    const packed = deflateSync(body);
    const header = Buffer.alloc(28);
    header.write("SWMP", 0, "latin1");
    header[4] = 1;
    header[5] = 1;
    header[7] = 4;
    header.write("main", 8);
    header.writeUInt32LE(42, 12);
    header.writeUInt32LE(packed.length, 20);
    header.writeUInt32LE(body.length, 24);
    const decoded = decodeMapFrame(Buffer.concat([header, packed]));
    assert.deepEqual(decoded.kind === "full" && decoded.map, map);
    // A format-1 delta: absolute i32 pose, u32 versions, stored body.
    const deltaBody = Buffer.from("01b00400002003000084030000", "hex");
    const dh = Buffer.alloc(28);
    dh.write("SWMP", 0, "latin1");
    dh[4] = 1;
    dh[5] = 2;
    dh[6] = 1;
    dh[7] = 4;
    dh.write("main", 8);
    dh.writeUInt32LE(8, 12);
    dh.writeUInt32LE(7, 16);
    dh.writeUInt32LE(deltaBody.length, 20);
    dh.writeUInt32LE(deltaBody.length, 24);
    const delta = decodeMapFrame(Buffer.concat([dh, deltaBody]));
    assert.deepEqual(delta.kind === "delta" && delta.delta, {
      floor: "main",
      baseVersion: 7,
      version: 8,
      robot: { x: 1200, y: 800, angle: 90 },
      pathReset: false,
      path: [],
      cells: [],
    });
    rejects(Buffer.concat([dh, deltaBody.subarray(1)]), "truncated");
    // Format 1 announced R for stored bodies too, and it must match.
    const wrongR = Buffer.from(dh);
    wrongR.writeUInt32LE(deltaBody.length + 1, 24);
    rejects(Buffer.concat([wrongR, deltaBody]), "corrupt");
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
    rejects(Buffer.from('{"not":"binary"}'), "corrupt");
  });

  it("refuses bodies that lie about their size, and zip bombs", () => {
    const raw = inflateSync(encodeFullFrame(apartmentMap()).subarray(15));
    assert.ok(decodeMapFrame(compressedFullFrame(deflateSync(raw), raw.length)));
    rejects(compressedFullFrame(deflateSync(raw), raw.length - 1), "corrupt");
    rejects(compressedFullFrame(deflateSync(raw), raw.length + 1), "corrupt");
    // 100 MB of zeros deflate to ~100 kB: refused from the header, before inflating.
    const bomb = deflateSync(Buffer.alloc(100 * 1024 * 1024));
    rejects(compressedFullFrame(bomb, 100 * 1024 * 1024), "too_large");
    // A body that says it is small but inflates to more is cut off at the announced size.
    rejects(compressedFullFrame(bomb, 1000), "corrupt");
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
      const raw = write(Buffer.alloc(0));
      return compressedFullFrame(deflateSync(raw), raw.length);
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
