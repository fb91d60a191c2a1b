/** Walks a pose along a polyline at a given distance budget; turning is instant (as good as, for a robot). */
import type { PlanPose, Point } from "./floor-plan.ts";

export class PathFollower {
  private readonly points: Point[];
  /** Index of the next point to reach. */
  private next: number;

  /** `points[0]` is where the robot already is; it drives towards `points[1]` first. */
  constructor(points: Point[]) {
    this.points = points;
    this.next = 1;
  }

  get done(): boolean {
    return this.next >= this.points.length;
  }

  /** The last point of the path. */
  get end(): Point {
    return this.points[this.points.length - 1];
  }

  /**
   * Moves `pose` (in place) up to `distanceMm` along the path, calling `onMove` for every straight piece
   * driven. Returns the distance left over when the path ended first.
   */
  advance(pose: PlanPose, distanceMm: number, onMove: (from: Point, to: Point) => void): number {
    let budget = distanceMm;
    while (budget > 0 && !this.done) {
      const target = this.points[this.next];
      const dx = target.x - pose.x;
      const dy = target.y - pose.y;
      const length = Math.hypot(dx, dy);
      const from = { x: pose.x, y: pose.y };
      if (length > 0) pose.angle = headingDegrees(dx, dy);
      if (length <= budget) {
        pose.x = target.x;
        pose.y = target.y;
        budget -= length;
        this.next++;
      } else {
        pose.x += (dx / length) * budget;
        pose.y += (dy / length) * budget;
        budget = 0;
      }
      if (length > 0) onMove(from, { x: pose.x, y: pose.y });
    }
    return budget;
  }
}

/** Heading in degrees within [0, 360), 0 = +x, counter-clockwise. */
export function headingDegrees(dx: number, dy: number): number {
  const deg = (Math.atan2(dy, dx) * 180) / Math.PI;
  const norm = deg < 0 ? deg + 360 : deg;
  return norm >= 360 ? 0 : norm;
}
