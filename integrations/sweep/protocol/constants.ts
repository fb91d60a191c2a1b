/** Sweep Local Protocol constants (docs/protocol.md §1). */
export const PROTOCOL_VERSION = 1 as const;
/** DNS-SD service type a robot advertises (`_sweep._tcp`). */
export const ROBOT_SERVICE_TYPE = "sweep";
/** DNS-SD service type the hub advertises for clients (`_sweephub._tcp`). */
export const HUB_SERVICE_TYPE = "sweephub";
/** WebSocket path on the robot's TLS server. */
export const PROTOCOL_PATH = "/sweep/v1";
/** Largest JSON text frame either side accepts; larger ones get `frame_too_large` and the connection stays. */
export const MAX_TEXT_FRAME_BYTES = 64 * 1024;
/** Largest frame of any kind; beyond it the connection is closed with 1009 (binary map frames fit below it). */
export const MAX_WIRE_FRAME_BYTES = 4 * 1024 * 1024;
/** Each side pings this often... */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/** ...and closes a connection on which nothing (pong or data) arrived for this long (§1.5: within 15 s). */
export const HEARTBEAT_TIMEOUT_MS = 15_000;
/** PBKDF2 iterations for the SPAKE2+ password derivation (Matter uses 1000..100000). */
export const PAIRING_PBKDF_ITERATIONS = 10_000;
/** Setup codes are exactly this many decimal digits. */
export const SETUP_CODE_DIGITS = 8;
