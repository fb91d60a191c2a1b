/**
 * The hub's configuration schema: the single source of truth for validation, the `Config` type, the
 * commented `config.yaml` written on first start and the environment variable names.
 *
 * Every leaf has a description and a default; every object rejects unknown keys so a typo
 * (`http.prot`) is reported instead of silently ignored. `x-allowed` is our own annotation: a human
 * phrase for what a pattern accepts, used in error messages because a regex is no help to a user.
 */
import Type, { type Static } from "typebox";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const IPV4 =
  "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}";
const IPV6 = "[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%a-zA-Z0-9]*";
const LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
/** An IP address, optionally a network (CIDR prefix length). */
const PROXY_ADDRESS = `(${IPV4}|${IPV6})(/[0-9]{1,3})?`;
const HOSTNAME = `(?=[^:]*$)(?![0-9.]+$)${LABEL}(\\.${LABEL})*\\.?`;

const section = <T extends Parameters<typeof Type.Object>[0]>(
  title: string,
  description: string,
  properties: T,
) => Type.Object(properties, { title, description, additionalProperties: false, default: {} });

export const HubSectionSchema = section("Hub", "Identity of this hub.", {
  name: Type.String({
    minLength: 1,
    maxLength: 64,
    default: "sweephub",
    description: "Name shown in the dashboard and advertised on the local network.",
  }),
});

export const HttpSectionSchema = section("HTTP", "The web dashboard and REST/WebSocket API.", {
  host: Type.String({
    pattern: `^(${IPV4}|${IPV6}|${HOSTNAME})$`,
    default: "127.0.0.1",
    description:
      "Address to listen on: an IP address or hostname. 127.0.0.1 keeps the hub private to this " +
      "machine; 0.0.0.0 (or ::) makes it reachable from the local network.",
    "x-allowed": "an IP address (e.g. 127.0.0.1, 0.0.0.0, ::) or a hostname",
  }),
  port: Type.Integer({ minimum: 1, maximum: 65535, default: 8470, description: "TCP port to listen on." }),
  trustProxy: Type.String({
    pattern: `^(|${PROXY_ADDRESS}(, ?${PROXY_ADDRESS})*)$`,
    default: "",
    description:
      "Reverse proxies in front of the hub (e.g. one that terminates TLS), as comma-separated addresses or " +
      "networks. Requests from them are taken as coming from the client in X-Forwarded-For, over the protocol " +
      'in X-Forwarded-Proto (https: sign-in cookies get Secure). Empty ("") trusts no proxy: the forwarded ' +
      "headers are ignored, so nobody can fake their address.",
    "x-allowed": 'IP addresses or CIDR networks, e.g. "127.0.0.1" or "172.16.0.0/12, ::1"; "" for none',
  }),
});

export const LogSectionSchema = section("Logging", "What the hub writes to its log.", {
  level: Type.Union(
    LOG_LEVELS.map((l) => Type.Literal(l)),
    { default: "info", description: "Least severe level written: fatal, error, warn, info, debug or trace." },
  ),
});

export const DiscoverySectionSchema = section("Discovery", "Finding robots on the local network with mDNS.", {
  enabled: Type.Boolean({ default: true, description: "Browse the local network for robots." }),
  interface: Type.String({
    pattern: `^(|${IPV4}|${IPV6})$`,
    default: "",
    description:
      'IP address of the network interface to use for mDNS, e.g. 127.0.0.1. Empty ("") uses all interfaces.',
    "x-allowed": 'an IP address of a local interface (e.g. 192.168.1.10), or "" for all interfaces',
  }),
  advertise: Type.Boolean({
    default: true,
    description: "Advertise this hub as _sweephub._tcp so apps on the network can find it.",
  }),
});

export const RobotsSectionSchema = section("Robots", "Talking to paired robots.", {
  commandTimeoutMs: Type.Integer({
    minimum: 1000,
    maximum: 120000,
    default: 10000,
    description: "How long to wait for a robot to answer a command, in milliseconds.",
  }),
  reconnectMinMs: Type.Integer({
    minimum: 100,
    maximum: 60000,
    default: 500,
    description: "First delay before reconnecting to a robot that dropped off, in milliseconds.",
  }),
  reconnectMaxMs: Type.Integer({
    minimum: 1000,
    maximum: 600000,
    default: 30000,
    description: "Longest delay between reconnect attempts (the delay doubles up to this), in milliseconds.",
  }),
});

export const RetentionSectionSchema = section("Retention", "How long history is kept.", {
  days: Type.Integer({
    minimum: 1,
    maximum: 3650,
    default: 14,
    description: "Cleaning history older than this many days is deleted.",
  }),
});

export const BACKUP_SCHEDULES = ["off", "hourly", "daily", "weekly"] as const;
export type BackupSchedule = (typeof BACKUP_SCHEDULES)[number];

export const BackupSectionSchema = section(
  "Backup",
  "Scheduled backups of the data folder (sweephub backup).",
  {
    schedule: Type.Enum(BACKUP_SCHEDULES, {
      default: "daily",
      description:
        "How often the hub writes a backup archive while it runs: off, hourly, daily or weekly. The next " +
        "one is due this long after the newest scheduled backup, so restarts neither skip nor repeat one.",
    }),
    keep: Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: 7,
      description: "How many scheduled backups to keep; older ones are deleted (manual backups are kept).",
    }),
    dir: Type.String({
      maxLength: 4096,
      default: "",
      description:
        'Folder for backup archives, e.g. a mounted NAS share. Empty ("") means the "backups" folder in the ' +
        "data folder. Relative paths are relative to the data folder.",
    }),
  },
);

export const MetricsSectionSchema = section("Metrics", "The Prometheus endpoint at /api/metrics.", {
  enabled: Type.Boolean({ default: true, description: "Serve Prometheus metrics at /api/metrics." }),
  token: Type.String({
    maxLength: 256,
    default: "",
    description:
      'If set, scrapers must send "Authorization: Bearer <token>". Empty ("") leaves the endpoint open to ' +
      "anyone who can reach the hub.",
  }),
});

export const TLS_MODES = ["off", "local-ca", "custom"] as const;
export type TlsMode = (typeof TLS_MODES)[number];

export const TlsSectionSchema = section("HTTPS", "Serving the dashboard and API over HTTPS.", {
  mode: Type.Enum(TLS_MODES, {
    default: "off",
    description:
      "off: plain HTTP (fine on 127.0.0.1). local-ca: the hub creates its own certificate authority in " +
      "data/tls on first start and a server certificate for this machine's names and addresses; download " +
      "the CA from /api/tls/ca.crt and trust it in your browsers. custom: use certFile and keyFile.",
  }),
  certFile: Type.String({
    maxLength: 4096,
    default: "",
    description: "PEM certificate (chain) for mode custom; relative paths are relative to the data folder.",
  }),
  keyFile: Type.String({
    maxLength: 4096,
    default: "",
    description: "PEM private key for mode custom; relative paths are relative to the data folder.",
  }),
});

export const AccountsSectionSchema = section(
  "Accounts",
  "Sign-in sessions and protection against guessing.",
  {
    sessionDays: Type.Integer({
      minimum: 1,
      maximum: 365,
      default: 30,
      description: "A sign-in session ends this many days after it was last used.",
    }),
    freeAttempts: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 5,
      description:
        "Failed sign-ins (per account and per address) allowed before a lockout; pairing uses the same policy.",
    }),
    lockoutSeconds: Type.Integer({
      minimum: 1,
      maximum: 86400,
      default: 30,
      description: "First lockout after the free attempts are used; it doubles with every further failure.",
    }),
    maxLockoutSeconds: Type.Integer({
      minimum: 1,
      maximum: 604800,
      default: 3600,
      description: "Longest lockout, in seconds.",
    }),
    invitationHours: Type.Integer({
      minimum: 1,
      maximum: 720,
      default: 72,
      description: "How long an invitation stays valid when its creator does not choose.",
    }),
  },
);

export const AuditSectionSchema = section("Audit log", "Who did what, for owners and admins to review.", {
  retentionDays: Type.Integer({
    minimum: 1,
    maximum: 3650,
    default: 365,
    description: "Audit entries older than this many days are deleted.",
  }),
});

export const MATTER_MODES = ["standalone", "bridge"] as const;

export const MatterSectionSchema = section(
  "Matter",
  "Every paired robot as a Matter robot vacuum, for Apple Home, Google Home, Alexa and Home Assistant.",
  {
    enabled: Type.Boolean({
      default: true,
      description: "Expose robots over Matter. matter.js is loaded only when this is on.",
    }),
    mode: Type.Enum(MATTER_MODES, {
      default: "standalone",
      description:
        "standalone: one Matter device per robot, each with its own pairing code (needed by Apple Home for " +
        "robot vacuums). bridge: one Matter bridge with all robots behind a single pairing code.",
    }),
    basePort: Type.Integer({
      minimum: 1024,
      maximum: 65000,
      default: 5540,
      description:
        "First UDP port for Matter nodes; each node keeps the port it was given (robot 1: 5540, robot 2: 5541...).",
    }),
    networkInterface: Type.String({
      pattern: "^[A-Za-z0-9._:-]{0,32}$",
      default: "",
      description:
        'Network interface name for Matter\'s mDNS, e.g. eth0. Empty ("") uses every interface; the demo and ' +
        'tests use "lo".',
      "x-allowed": 'an interface name such as eth0, or "" for all interfaces',
    }),
    vendorId: Type.Integer({
      minimum: 1,
      maximum: 65534,
      default: 65521,
      description:
        "Matter vendor id in BasicInformation. 65521 (0xFFF1) is a test vendor: controllers show the device as " +
        '"uncertified" and ask to confirm before adding it.',
    }),
    productId: Type.Integer({
      minimum: 1,
      maximum: 65534,
      default: 32768,
      description: "Matter product id in BasicInformation (0x8000 is in the test vendor's range).",
    }),
  },
);

export const ConfigSchema = Type.Object(
  {
    hub: HubSectionSchema,
    http: HttpSectionSchema,
    log: LogSectionSchema,
    discovery: DiscoverySectionSchema,
    robots: RobotsSectionSchema,
    retention: RetentionSectionSchema,
    matter: MatterSectionSchema,
    tls: TlsSectionSchema,
    accounts: AccountsSectionSchema,
    audit: AuditSectionSchema,
    backup: BackupSectionSchema,
    metrics: MetricsSectionSchema,
  },
  { title: "sweephub configuration", additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
export type ConfigSection = keyof Config;
