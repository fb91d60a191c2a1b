import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  boundsOf,
  fitBounds,
  MAX_SCALE,
  pinch,
  screenRectToZone,
  toScreen,
  toWorld,
  zoomAt,
} from "../../../web/src/data/map-view.ts";

const close = (a: number, b: number, eps = 1e-6) => assert.ok(Math.abs(a - b) < eps, `${a} ≈ ${b}`);

describe("map viewport", () => {
  it("fits bounds centred, y up on the map is up on the screen", () => {
    const v = fitBounds({ x1: 0, y1: 0, x2: 10_000, y2: 5_000 }, 1000, 1000, 0);
    close(v.scale, 0.1);
    const top = toScreen(v, { x: 5000, y: 5000 });
    const bottom = toScreen(v, { x: 5000, y: 0 });
    close(top.x, 500);
    assert.ok(top.y < bottom.y, "higher y draws higher");
    close((top.y + bottom.y) / 2, 500);
  });

  it("screen and world transforms are inverse", () => {
    const v = { scale: 0.07, tx: 13, ty: 400 };
    const p = { x: 1234, y: -567 };
    const back = toWorld(v, toScreen(v, p));
    close(back.x, p.x);
    close(back.y, p.y);
  });

  it("zooming keeps the point under the cursor in place, within limits", () => {
    const v = { scale: 0.1, tx: 50, ty: 600 };
    const at = { x: 300, y: 200 };
    const world = toWorld(v, at);
    const z = zoomAt(v, 2, at);
    close(z.scale, 0.2);
    const again = toScreen(z, world);
    close(again.x, at.x);
    close(again.y, at.y);
    assert.equal(zoomAt(v, 1e6, at).scale, MAX_SCALE);
  });

  it("pinch follows the fingers: spread zooms, moving pans", () => {
    const v = { scale: 0.1, tx: 0, ty: 0 };
    const world = toWorld(v, { x: 150, y: 100 });
    const p = pinch(
      v,
      [
        { x: 100, y: 100 },
        { x: 200, y: 100 },
      ],
      [
        { x: 60, y: 120 },
        { x: 260, y: 120 },
      ],
    );
    close(p.scale, 0.2);
    const mid = toScreen(p, world);
    close(mid.x, 160);
    close(mid.y, 120);
  });

  it("a drawn rectangle becomes an ordered zone in millimetres", () => {
    const v = { scale: 0.1, tx: 0, ty: 1000 };
    assert.deepEqual(screenRectToZone(v, { x: 300, y: 100 }, { x: 100, y: 300 }), {
      x1: 1000,
      y1: 7000,
      x2: 3000,
      y2: 9000,
    });
  });

  it("bounds of points with a margin", () => {
    assert.equal(boundsOf([]), null);
    assert.deepEqual(
      boundsOf(
        [
          { x: 1, y: 5 },
          { x: -3, y: 2 },
        ],
        1,
      ),
      { x1: -4, y1: 1, x2: 2, y2: 6 },
    );
  });
});
