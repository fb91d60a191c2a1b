/**
 * The live map on a canvas: rooms coloured and named, walls, restrictions, the path driven, the dock and the
 * robot. Pan with a drag, zoom with the wheel, pinch or the buttons, and (by tool) draw a zone, tap a point or
 * tap rooms. The grid is rasterised once per map change into a bitmap; each frame only transforms it and draws
 * the few vector parts, so frames stay cheap on big maps (bench/web.bench.ts measures it).
 */
import { css, html, LitElement, type PropertyValues } from "lit";
import { customElement, property, query } from "lit/decorators.js";
import {
  CELL,
  type GridPalette,
  gridToRgba,
  type MapModel,
  modelBounds,
  roomPalette,
} from "../data/map-model.ts";
import {
  type Bounds,
  fitBounds,
  type Point,
  pan,
  pinch,
  screenRectToZone,
  toScreen,
  toWorld,
  type Viewport,
  zoomAt,
} from "../data/map-view.ts";
import { positionOf, type RoomPick } from "../data/room-order.ts";
import { sharedStyles } from "../styles/shared.ts";
import "./sh-icon.ts";

export type MapTool = "view" | "zone" | "line" | "goto" | "rooms";

interface MapColors {
  wall: string;
  path: string;
  robot: string;
  dock: string;
  text: string;
  surface: string;
  primary: string;
  danger: string;
  dark: boolean;
}

/** A drag shorter than this (CSS px) is a tap. */
const TAP_SLOP_PX = 8;

@customElement("sh-map-canvas")
export class ShMapCanvas extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        position: relative;
        min-height: 280px;
        border-radius: var(--sh-radius);
        overflow: hidden;
        background: var(--sh-map-bg);
        touch-action: none;
      }
      canvas {
        /* Out of the flow: the bitmap's own size must never push the layout wider (phones). */
        position: absolute;
        inset: 0;
        display: block;
        width: 100%;
        height: 100%;
        cursor: grab;
      }
      :host([tool="zone"]) canvas,
      :host([tool="line"]) canvas,
      :host([tool="goto"]) canvas {
        cursor: crosshair;
      }
      :host([tool="rooms"]) canvas {
        cursor: pointer;
      }
      .zoom {
        position: absolute;
        right: 8px;
        bottom: 8px;
        display: flex;
        flex-direction: column;
        gap: 6px;
      }
      .zoom button {
        background: var(--sh-surface);
        box-shadow: var(--sh-shadow);
      }
      .empty {
        position: absolute;
        inset: 0;
        display: grid;
        place-items: center;
        text-align: center;
        padding: 24px;
        color: var(--sh-text-2);
        pointer-events: none;
      }
    `,
  ];

  @property({ attribute: false }) accessor model: MapModel | null = null;
  @property({ reflect: true }) accessor tool: MapTool = "view";
  @property({ attribute: false }) accessor selectedRooms: readonly RoomPick[] = [];
  @property({ attribute: false }) accessor zones: readonly Bounds[] = [];
  @property({ attribute: false }) accessor target: Point | null = null;
  /** Describes the map for screen readers (the canvas itself is an image). */
  @property() accessor label = "Map";

  @query("canvas") accessor canvas!: HTMLCanvasElement;

  #view: Viewport | null = null;
  #userMoved = false;
  #size = { width: 0, height: 0, dpr: 1 };
  #gridBitmap: HTMLCanvasElement | null = null;
  #gridSource: MapModel["grid"] = null;
  #frame = 0;
  readonly #pointers = new Map<number, Point>();
  #dragStart: Point | null = null;
  #dragMoved = false;
  /** The rectangle or line being drawn, in screen points. */
  #draft: [Point, Point] | null = null;
  #resize: ResizeObserver | null = null;
  readonly #themeQuery = window.matchMedia("(prefers-color-scheme: dark)");
  /** Theme colours, read from CSS once per theme change (reading computed styles every frame is slow). */
  #colorCache: MapColors | null = null;
  /** The raster as an ImageBitmap once decoded: drawn faster than a canvas, every frame. */
  #gridImageBitmap: ImageBitmap | null = null;
  readonly #onTheme = () => {
    this.#colorCache = null;
    this.#gridSource = null;
    this.#schedule();
  };
  readonly #themeAttribute = new MutationObserver(this.#onTheme);

  override connectedCallback(): void {
    super.connectedCallback();
    this.#themeQuery.addEventListener("change", this.#onTheme);
    this.#themeAttribute.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ["data-theme"],
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
    this.#themeQuery.removeEventListener("change", this.#onTheme);
    this.#themeAttribute.disconnect();
    cancelAnimationFrame(this.#frame);
  }

  override firstUpdated(): void {
    this.#resize = new ResizeObserver(() => this.#measure());
    this.#resize.observe(this);
    this.#measure();
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has("model") && !this.#userMoved) this.#view = null;
    this.#schedule();
  }

  /** Refits the whole map into view (also the "fit" button and the 0 key). */
  fit(): void {
    this.#userMoved = false;
    this.#view = null;
    this.#schedule();
  }

  /** The current viewport, for tests and the benchmark. */
  get viewport(): Viewport | null {
    return this.#view;
  }

  /** Draws one frame synchronously and returns how long it took (ms): used by bench/web.bench.ts. */
  drawNow(): number {
    const t0 = performance.now();
    this.#draw();
    return performance.now() - t0;
  }

  override render() {
    const empty = !this.model || (!this.model.grid && !this.model.robot && this.model.path.length === 0);
    return html`<canvas
        tabindex="0"
        role="img"
        aria-label=${this.label}
        @pointerdown=${this.#onPointerDown}
        @pointermove=${this.#onPointerMove}
        @pointerup=${this.#onPointerUp}
        @pointercancel=${this.#onPointerCancel}
        @wheel=${this.#onWheel}
        @keydown=${this.#onKey}
      ></canvas>
      ${empty ? html`<div class="empty">No map yet: it appears as soon as the robot reports its position.</div>` : ""}
      <div class="zoom">
        <button class="icon" aria-label="Zoom in" @click=${() => this.#zoomCenter(1.4)}>
          <sh-icon name="zoomIn"></sh-icon>
        </button>
        <button class="icon" aria-label="Zoom out" @click=${() => this.#zoomCenter(1 / 1.4)}>
          <sh-icon name="zoomOut"></sh-icon>
        </button>
        <button class="icon" aria-label="Fit map to view" @click=${() => this.fit()}>
          <sh-icon name="fit"></sh-icon>
        </button>
      </div>`;
  }

  #measure(): void {
    const rect = this.getBoundingClientRect();
    // Beyond 2x the map looks no sharper, but a 3x phone would fill 2.25 times the pixels every frame.
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    const width = Math.max(1, Math.round(rect.width));
    const height = Math.max(1, Math.round(rect.height));
    if (width === this.#size.width && height === this.#size.height && dpr === this.#size.dpr) return;
    this.#size = { width, height, dpr };
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    if (!this.#userMoved) this.#view = null;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#draw();
    });
  }

  #ensureView(): Viewport | null {
    if (this.#view) return this.#view;
    const bounds = this.model ? modelBounds(this.model) : null;
    if (!bounds || this.#size.width <= 1) return null;
    this.#view = fitBounds(bounds, this.#size.width, this.#size.height, 24);
    return this.#view;
  }

  #colors(): MapColors {
    this.#colorCache ??= this.#readColors();
    return this.#colorCache;
  }

  #readColors(): MapColors {
    const cs = getComputedStyle(this);
    const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
    return {
      wall: v("--sh-map-wall", "#3c4350"),
      path: v("--sh-map-path", "rgba(255,255,255,0.85)"),
      robot: v("--sh-map-robot", "#2f6fed"),
      dock: v("--sh-map-dock", "#17864a"),
      text: v("--sh-text", "#16191f"),
      surface: v("--sh-surface", "#ffffff"),
      primary: v("--sh-primary", "#2f6fed"),
      danger: v("--sh-danger", "#c62f2f"),
      dark:
        this.#themeQuery.matches && document.documentElement.dataset.theme !== "light"
          ? true
          : document.documentElement.dataset.theme === "dark",
    };
  }

  #gridImage(colors: MapColors): CanvasImageSource | null {
    const grid = this.model?.grid ?? null;
    if (!grid) return null;
    if (grid === this.#gridSource && this.#gridBitmap) return this.#gridImageBitmap ?? this.#gridBitmap;
    const parse = (c: string): [number, number, number] => {
      const ctx = document.createElement("canvas").getContext("2d")!;
      ctx.fillStyle = c;
      const hex = ctx.fillStyle.replace("#", "");
      return hex.length === 6
        ? [
            Number.parseInt(hex.slice(0, 2), 16),
            Number.parseInt(hex.slice(2, 4), 16),
            Number.parseInt(hex.slice(4, 6), 16),
          ]
        : [128, 128, 128];
    };
    const palette: GridPalette = {
      floor: colors.dark ? [44, 51, 61] : [214, 220, 229],
      wall: parse(colors.wall),
      obstacle: colors.dark ? [72, 80, 94] : [184, 190, 201],
      rooms: roomPalette(this.model?.rooms ?? [], colors.dark),
    };
    const bitmap = this.#gridBitmap ?? document.createElement("canvas");
    bitmap.width = grid.width;
    bitmap.height = grid.height;
    const ctx = bitmap.getContext("2d")!;
    const image = ctx.createImageData(grid.width, grid.height);
    gridToRgba(grid, palette, image.data);
    ctx.putImageData(image, 0, 0);
    this.#gridBitmap = bitmap;
    this.#gridSource = grid;
    this.#gridImageBitmap?.close();
    this.#gridImageBitmap = null;
    void createImageBitmap(bitmap).then(
      (decoded) => {
        if (this.#gridSource !== grid) return decoded.close();
        this.#gridImageBitmap = decoded;
        this.#schedule();
      },
      () => {},
    );
    return bitmap;
  }

  #draw(): void {
    const canvas = this.canvas;
    if (!canvas) return;
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    const { dpr, width, height } = this.#size;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const model = this.model;
    const view = this.#ensureView();
    if (!model || !view) return;
    const colors = this.#colors();
    const s = (p: Point) => toScreen(view, p);

    const grid = model.grid;
    const bitmap = this.#gridImage(colors);
    if (grid && bitmap) {
      const topLeft = s({ x: grid.originX, y: grid.originY + grid.height * grid.pixelMm });
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(
        bitmap,
        topLeft.x,
        topLeft.y,
        grid.width * grid.pixelMm * view.scale,
        grid.height * grid.pixelMm * view.scale,
      );
    }

    for (const r of model.restrictions) this.#drawRestriction(ctx, r.kind, r.points.map(s), colors);

    if (model.path.length > 1) {
      ctx.beginPath();
      const first = s(model.path[0]!);
      ctx.moveTo(first.x, first.y);
      for (let i = 1; i < model.path.length; i++) {
        const p = s(model.path[i]!);
        ctx.lineTo(p.x, p.y);
      }
      ctx.strokeStyle = colors.dark ? "rgba(255,255,255,0.55)" : "rgba(47,111,237,0.55)";
      ctx.lineWidth = Math.max(1.5, Math.min(6, 60 * view.scale));
      ctx.lineJoin = "round";
      ctx.lineCap = "round";
      ctx.stroke();
    }

    for (const z of this.zones) this.#drawZone(ctx, view, z, colors.primary, false);
    if (this.#draft && this.tool === "zone") {
      this.#drawZone(ctx, view, screenRectToZone(view, ...this.#draft), colors.primary, true);
    }
    if (this.#draft && this.tool === "line") {
      ctx.beginPath();
      ctx.moveTo(this.#draft[0].x, this.#draft[0].y);
      ctx.lineTo(this.#draft[1].x, this.#draft[1].y);
      ctx.strokeStyle = colors.primary;
      ctx.lineWidth = 3;
      ctx.setLineDash([6, 4]);
      ctx.stroke();
      ctx.setLineDash([]);
    }

    this.#drawLabels(ctx, model, view, colors);

    if (model.dock) {
      const d = s(model.dock);
      const r = Math.max(7, 170 * view.scale);
      ctx.fillStyle = colors.dock;
      roundRect(ctx, d.x - r, d.y - r, 2 * r, 2 * r, r / 3);
      ctx.fill();
      ctx.strokeStyle = colors.surface;
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.fillStyle = colors.surface;
      ctx.beginPath();
      ctx.moveTo(d.x - r * 0.2, d.y - r * 0.6);
      ctx.lineTo(d.x + r * 0.35, d.y - r * 0.6);
      ctx.lineTo(d.x + r * 0.05, d.y);
      ctx.lineTo(d.x + r * 0.35, d.y);
      ctx.lineTo(d.x - r * 0.25, d.y + r * 0.65);
      ctx.lineTo(d.x, d.y + r * 0.1);
      ctx.lineTo(d.x - r * 0.3, d.y + r * 0.1);
      ctx.closePath();
      ctx.fill();
    }

    if (this.target) {
      const t = s(this.target);
      ctx.strokeStyle = colors.primary;
      ctx.lineWidth = 3;
      ctx.beginPath();
      ctx.arc(t.x, t.y, 10, 0, Math.PI * 2);
      ctx.moveTo(t.x - 16, t.y);
      ctx.lineTo(t.x + 16, t.y);
      ctx.moveTo(t.x, t.y - 16);
      ctx.lineTo(t.x, t.y + 16);
      ctx.stroke();
    }

    if (model.robot) {
      const p = s(model.robot);
      const r = Math.max(9, 175 * view.scale);
      ctx.beginPath();
      ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
      ctx.fillStyle = colors.robot;
      ctx.fill();
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = colors.surface;
      ctx.stroke();
      // Heading: map angles are counter-clockwise with y up; the screen's y goes down.
      const a = (model.robot.angle * Math.PI) / 180;
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      ctx.lineTo(p.x + Math.cos(a) * r * 0.85, p.y - Math.sin(a) * r * 0.85);
      ctx.strokeStyle = colors.surface;
      ctx.lineWidth = 3;
      ctx.lineCap = "round";
      ctx.stroke();
    }
  }

  #drawRestriction(ctx: CanvasRenderingContext2D, kind: string, pts: Point[], colors: MapColors): void {
    if (pts.length < 2) return;
    ctx.beginPath();
    ctx.moveTo(pts[0]!.x, pts[0]!.y);
    for (const p of pts.slice(1)) ctx.lineTo(p.x, p.y);
    if (kind === "virtual_wall") {
      ctx.strokeStyle = colors.danger;
      ctx.lineWidth = 4;
      ctx.setLineDash([8, 5]);
      ctx.stroke();
      ctx.setLineDash([]);
      return;
    }
    ctx.closePath();
    const mop = kind === "no_mop";
    ctx.fillStyle = mop ? "rgba(124, 77, 255, 0.22)" : "rgba(220, 50, 50, 0.22)";
    ctx.fill();
    ctx.strokeStyle = mop ? "#7c4dff" : colors.danger;
    ctx.lineWidth = 2;
    ctx.stroke();
  }

  #drawZone(ctx: CanvasRenderingContext2D, view: Viewport, z: Bounds, color: string, draft: boolean): void {
    const a = toScreen(view, { x: z.x1, y: z.y2 });
    const b = toScreen(view, { x: z.x2, y: z.y1 });
    ctx.fillStyle = "rgba(47, 111, 237, 0.18)";
    ctx.fillRect(a.x, a.y, b.x - a.x, b.y - a.y);
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    if (draft) ctx.setLineDash([6, 4]);
    ctx.strokeRect(a.x, a.y, b.x - a.x, b.y - a.y);
    ctx.setLineDash([]);
  }

  #drawLabels(ctx: CanvasRenderingContext2D, model: MapModel, view: Viewport, colors: MapColors): void {
    ctx.font = "600 13px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    for (const room of model.rooms) {
      const p = toScreen(view, room.label);
      if (p.x < -50 || p.y < -20 || p.x > this.#size.width + 50 || p.y > this.#size.height + 20) continue;
      const order = positionOf(this.selectedRooms, room.id);
      ctx.lineWidth = 3;
      ctx.strokeStyle = colors.surface;
      ctx.fillStyle = colors.text;
      ctx.strokeText(room.name, p.x, p.y);
      ctx.fillText(room.name, p.x, p.y);
      if (order > 0) {
        ctx.beginPath();
        ctx.arc(p.x, p.y - 22, 12, 0, Math.PI * 2);
        ctx.fillStyle = colors.primary;
        ctx.fill();
        ctx.fillStyle = colors.surface;
        ctx.fillText(String(order), p.x, p.y - 22);
      }
    }
  }

  #zoomCenter(factor: number): void {
    const view = this.#ensureView();
    if (!view) return;
    this.#userMoved = true;
    this.#view = zoomAt(view, factor, { x: this.#size.width / 2, y: this.#size.height / 2 });
    this.#schedule();
  }

  #local(e: PointerEvent | WheelEvent): Point {
    const rect = this.canvas.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  }

  #onPointerDown = (e: PointerEvent) => {
    try {
      this.canvas.setPointerCapture(e.pointerId);
    } catch {
      // The pointer is already gone (a very short tap); nothing to capture.
    }
    const p = this.#local(e);
    this.#pointers.set(e.pointerId, p);
    if (this.#pointers.size === 1) {
      this.#dragStart = p;
      this.#dragMoved = false;
      if (this.tool === "zone" || this.tool === "line") this.#draft = [p, p];
    } else {
      // A second finger turns any drawing into a pinch.
      this.#draft = null;
      this.#dragMoved = true;
    }
  };

  #onPointerMove = (e: PointerEvent) => {
    const prev = this.#pointers.get(e.pointerId);
    if (!prev) return;
    const p = this.#local(e);
    const view = this.#ensureView();
    if (!view) return;
    if (this.#pointers.size === 2) {
      const [a, b] = [...this.#pointers.entries()];
      const before: [Point, Point] = [a![1], b![1]];
      this.#pointers.set(e.pointerId, p);
      const after: [Point, Point] = [this.#pointers.get(a![0])!, this.#pointers.get(b![0])!];
      this.#view = pinch(view, before, after);
      this.#userMoved = true;
    } else {
      this.#pointers.set(e.pointerId, p);
      const start = this.#dragStart ?? p;
      if (Math.hypot(p.x - start.x, p.y - start.y) > TAP_SLOP_PX) this.#dragMoved = true;
      if (this.#draft) this.#draft = [this.#draft[0], p];
      else if (this.#dragMoved) {
        this.#view = pan(view, p.x - prev.x, p.y - prev.y);
        this.#userMoved = true;
      }
    }
    this.#schedule();
  };

  #onPointerUp = (e: PointerEvent) => {
    const p = this.#local(e);
    this.#pointers.delete(e.pointerId);
    const view = this.#view;
    if (this.#pointers.size > 0 || !view) return;
    if (this.#draft) {
      const [a] = this.#draft;
      this.#draft = null;
      if (this.tool === "zone" && Math.abs(p.x - a.x) > TAP_SLOP_PX && Math.abs(p.y - a.y) > TAP_SLOP_PX) {
        this.#emit("zone-drawn", screenRectToZone(view, a, p));
      }
      if (this.tool === "line" && Math.hypot(p.x - a.x, p.y - a.y) > TAP_SLOP_PX) {
        const [w1, w2] = [toWorld(view, a), toWorld(view, p)];
        this.#emit("line-drawn", {
          x1: Math.round(w1.x),
          y1: Math.round(w1.y),
          x2: Math.round(w2.x),
          y2: Math.round(w2.y),
        });
      }
    } else if (!this.#dragMoved) {
      const world = toWorld(view, p);
      if (this.tool === "goto")
        this.#emit("point-picked", { x: Math.round(world.x), y: Math.round(world.y) });
      if (this.tool === "rooms") {
        const room = this.roomAt(world);
        if (room) this.#emit("room-tapped", room);
      }
    }
    this.#dragStart = null;
    this.#schedule();
  };

  #onPointerCancel = (e: PointerEvent) => {
    this.#pointers.delete(e.pointerId);
    this.#draft = null;
    this.#schedule();
  };

  #onWheel = (e: WheelEvent) => {
    const view = this.#ensureView();
    if (!view) return;
    e.preventDefault();
    this.#view = zoomAt(view, Math.exp(-e.deltaY * 0.0015), this.#local(e));
    this.#userMoved = true;
    this.#schedule();
  };

  #onKey = (e: KeyboardEvent) => {
    const view = this.#ensureView();
    if (!view) return;
    const step = 48;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [step, 0],
      ArrowRight: [-step, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
    };
    const move = moves[e.key];
    if (move) {
      this.#view = pan(view, ...move);
      this.#userMoved = true;
    } else if (e.key === "+" || e.key === "=") this.#zoomCenter(1.25);
    else if (e.key === "-") this.#zoomCenter(0.8);
    else if (e.key === "0") this.fit();
    else return;
    e.preventDefault();
    this.#schedule();
  };

  /** The room whose cells contain a map point, from the grid's room layer. */
  roomAt(world: Point): string | null {
    const g = this.model?.grid;
    if (!g?.segments) return null;
    const col = Math.floor((world.x - g.originX) / g.pixelMm);
    const row = Math.floor((world.y - g.originY) / g.pixelMm);
    if (col < 0 || row < 0 || col >= g.width || row >= g.height) return null;
    const i = row * g.width + col;
    if (g.cells[i] !== CELL.floor) return null;
    const seg = g.segments[i] ?? 0;
    return seg ? (this.model?.rooms.find((r) => r.segment === seg)?.id ?? null) : null;
  }

  #emit(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}

function roundRect(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  w: number,
  h: number,
  r: number,
): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}

declare global {
  interface HTMLElementTagNameMap {
    "sh-map-canvas": ShMapCanvas;
  }
}
