/**
 * What the Matter runtime (in the worker thread) needs from the hub. The worker implements it with messages to
 * the main thread (matter-worker.ts), which owns the robots, the command path and SQLite.
 */
import type { RobotView } from "../core/robot-view.ts";
import type { KnownAreas, NodeAllocation } from "./worker-messages.ts";

export interface MatterHubLink {
  /** A robot as the hub last reported it; undefined once it is gone. */
  view(robotId: string): RobotView | undefined;
  /** Every paired robot. */
  pairedViews(): RobotView[];
  isPaired(robotId: string): boolean;
  /** RobotManager.command with trigger "matter"; rejects with the hub's HubError. */
  command(robotId: string, name: string, args: unknown): Promise<RobotView>;
  /** Reads the robot's rooms (current floor), records them, and returns every known floor and room. */
  rooms(robotId: string): Promise<KnownAreas>;
  /** The floors and rooms recorded for the robot (area ids are kept forever). */
  known(robotId: string): Promise<KnownAreas>;
  /** The node's port and setup secrets, allocated once and kept. */
  allocate(nodeKey: string, robotId: string | null): Promise<NodeAllocation>;
  /** Forgets a node's allocation (its robot was unpaired). */
  forget(nodeKey: string): Promise<void>;
}
