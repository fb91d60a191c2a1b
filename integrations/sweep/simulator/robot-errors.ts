/**
 * The refusals a robot gives, in one place so their codes and wording stay consistent: `robot_fault` when
 * a fault blocks movement, `invalid_state` when the command does not fit what the robot is doing,
 * `invalid_payload` when the request itself is wrong (docs/protocol.md §5).
 */
import { ProtocolError } from "../protocol/errors.ts";
import {
  CONSUMABLE_IDS,
  type ConsumableId,
  ROBOT_FAULTS,
  type RobotError,
  type RobotFaultCode,
} from "../protocol/robot-state.ts";

export const faultError = (fault: RobotError) =>
  new ProtocolError("robot_fault", `The robot has a fault: ${fault.message}`, {
    fault: fault.code,
    message: fault.message,
  });

/** "Nothing to pause: the robot is docked." */
export const nothingToError = (verb: string, status: string) =>
  new ProtocolError("invalid_state", `Nothing to ${verb}: the robot is ${status}.`, { status });

export const busyError = (kind: string, status: string, jobId: string) =>
  new ProtocolError("invalid_state", `The robot is busy with a ${kind} job (${status}); stop it first.`, {
    status,
    jobId,
  });

export const batteryEmptyError = () =>
  new ProtocolError("invalid_state", "The battery is empty; put the robot on its dock.", { battery: 0 });

export const batteryLowError = (percent: number) =>
  new ProtocolError(
    "invalid_state",
    `The battery is too low to start (${percent} %); put the robot on its dock to charge.`,
    { battery: percent },
  );

export const noDockError = (floor: string, dockFloor: string) =>
  new ProtocolError(
    "invalid_state",
    `There is no dock on floor "${floor}"; carry the robot to floor "${dockFloor}".`,
    {
      floor,
      dockFloor,
    },
  );

export function checkConsumableId(id: string): ConsumableId {
  if (!(CONSUMABLE_IDS as readonly string[]).includes(id)) {
    throw new ProtocolError(
      "invalid_payload",
      `Unknown consumable "${id}"; consumables: ${CONSUMABLE_IDS.join(", ")}.`,
      {
        id,
      },
    );
  }
  return id as ConsumableId;
}

export function checkFaultCode(code: string): RobotFaultCode {
  if (!(ROBOT_FAULTS as readonly string[]).includes(code)) {
    throw new ProtocolError(
      "invalid_payload",
      `Unknown fault "${code}"; faults: ${ROBOT_FAULTS.join(", ")}.`,
      {
        code,
      },
    );
  }
  return code as RobotFaultCode;
}
