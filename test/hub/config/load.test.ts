import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { parse } from "yaml";
import { envKeys } from "../../../hub/config/env.ts";
import { ConfigError, defaultConfig, loadConfig, resolveDataDir } from "../../../hub/config/load.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sweephub-config-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (text: string) => writeFileSync(join(dir, "config.yaml"), text);

/** Loads expecting a ConfigError and returns its message. */
function failure(env: NodeJS.ProcessEnv = {}): string {
  try {
    loadConfig({ dataDir: dir, env, createIfMissing: false });
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.message;
  }
  assert.fail("expected loadConfig to throw");
}

describe("first start", () => {
  it("creates a commented config.yaml that parses back to the defaults", () => {
    const dataDir = join(dir, "nested", "data");
    const loaded = loadConfig({ dataDir, env: {} });
    assert.equal(loaded.created, true);
    assert.equal(loaded.path, join(dataDir, "config.yaml"));
    assert.deepEqual(loaded.config, defaultConfig());
    const text = readFileSync(loaded.path, "utf8");
    assert.deepEqual(parse(text), defaultConfig());
    // Every key is documented with its description and its environment variable.
    for (const k of envKeys()) {
      assert.ok(text.includes(`  ${k.key}: `), `${k.key} is in the file`);
      assert.ok(text.includes(k.name), `${k.name} is mentioned`);
      const firstWords = (k.schema.description ?? "").split(" ").slice(0, 3).join(" ");
      assert.ok(firstWords && text.includes(`# ${firstWords}`), `${k.key} has its description`);
    }
    assert.ok(text.includes("Allowed: an integer between 1 and 65535."));
  });

  it("does not overwrite an existing file and reports created=false", () => {
    write("http:\n  port: 9001\n");
    const loaded = loadConfig({ dataDir: dir, env: {} });
    assert.equal(loaded.created, false);
    assert.equal(loaded.config.http.port, 9001);
    assert.equal(readFileSync(join(dir, "config.yaml"), "utf8"), "http:\n  port: 9001\n");
  });

  it("uses the defaults without writing when createIfMissing is false", () => {
    const loaded = loadConfig({ dataDir: dir, env: {}, createIfMissing: false });
    assert.equal(loaded.created, false);
    assert.deepEqual(loaded.config, defaultConfig());
    assert.equal(existsSync(join(dir, "config.yaml")), false);
  });

  it("fills keys and sections left out, including sections whose keys are all commented out", () => {
    write("log:\n  # level: debug\nretention:\n  days: 30\n");
    const { config } = loadConfig({ dataDir: dir, env: {} });
    assert.equal(config.retention.days, 30);
    assert.equal(config.log.level, "info");
    assert.equal(config.http.port, 8470);
  });

  it("has the documented defaults", () => {
    assert.deepEqual(defaultConfig(), {
      hub: { name: "sweephub" },
      http: { host: "127.0.0.1", port: 8470, trustProxy: "" },
      log: { level: "info" },
      discovery: { enabled: true, interface: "", advertise: true },
      robots: { commandTimeoutMs: 10000, reconnectMinMs: 500, reconnectMaxMs: 30000 },
      retention: { days: 14 },
      tls: { mode: "off", certFile: "", keyFile: "" },
      accounts: {
        sessionDays: 30,
        freeAttempts: 5,
        lockoutSeconds: 30,
        maxLockoutSeconds: 3600,
        invitationHours: 72,
      },
      audit: { retentionDays: 365 },
      backup: { schedule: "daily", keep: 7, dir: "" },
      metrics: { enabled: true, token: "" },
      matter: {
        enabled: true,
        mode: "standalone",
        basePort: 5540,
        networkInterface: "",
        vendorId: 65521,
        productId: 32768,
      },
    });
  });
});

describe("data folder", () => {
  it("defaults to ./data and follows SWEEPHUB_DATA", () => {
    assert.equal(resolveDataDir({}, "/srv/hub"), "/srv/hub/data");
    assert.equal(resolveDataDir({ SWEEPHUB_DATA: "state" }, "/srv/hub"), "/srv/hub/state");
    assert.equal(resolveDataDir({ SWEEPHUB_DATA: "/var/lib/sweephub" }, "/srv/hub"), "/var/lib/sweephub");
  });
});

describe("environment overrides", () => {
  it("converts to the schema's types and wins over the file", () => {
    write("http:\n  port: 9001\n");
    const { config, warnings } = loadConfig({
      dataDir: dir,
      env: {
        SWEEPHUB_HTTP_PORT: "9000",
        SWEEPHUB_ROBOTS_COMMAND_TIMEOUT_MS: "2500",
        SWEEPHUB_LOG_LEVEL: "debug",
        SWEEPHUB_DISCOVERY_ENABLED: "false",
        SWEEPHUB_DISCOVERY_ADVERTISE: "0",
        SWEEPHUB_DISCOVERY_INTERFACE: "127.0.0.1",
        SWEEPHUB_HUB_NAME: "kitchen hub",
        SWEEPHUB_DATA: dir,
        SWEEPHUB_NO_NETNS: "1",
        PATH: "/usr/bin",
      },
    });
    assert.equal(config.http.port, 9000);
    assert.equal(config.robots.commandTimeoutMs, 2500);
    assert.equal(config.log.level, "debug");
    assert.equal(config.discovery.enabled, false);
    assert.equal(config.discovery.advertise, false);
    assert.equal(config.discovery.interface, "127.0.0.1");
    assert.equal(config.hub.name, "kitchen hub");
    assert.deepEqual(warnings, []);
  });

  it("accepts true/1 for booleans", () => {
    write("discovery:\n  enabled: false\n  advertise: false\n");
    const { config } = loadConfig({
      dataDir: dir,
      env: { SWEEPHUB_DISCOVERY_ENABLED: "TRUE", SWEEPHUB_DISCOVERY_ADVERTISE: "1" },
    });
    assert.equal(config.discovery.enabled, true);
    assert.equal(config.discovery.advertise, true);
  });

  it("warns about unknown SWEEPHUB_ variables instead of failing, with a suggestion", () => {
    const { warnings, config } = loadConfig({
      dataDir: dir,
      env: { SWEEPHUB_HTTP_PROT: "1", SWEEPHUB_WHATEVER: "x" },
    });
    assert.equal(config.http.port, 8470);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /SWEEPHUB_HTTP_PROT.*did you mean SWEEPHUB_HTTP_PORT/);
    assert.match(warnings[1], /SWEEPHUB_WHATEVER/);
  });

  it("names the variable, the value and what is allowed when a value does not convert", () => {
    const msg = failure({ SWEEPHUB_HTTP_PORT: "eighty" });
    assert.match(msg, /http\.port/);
    assert.match(msg, /"eighty"/);
    assert.match(msg, /an integer between 1 and 65535/);
    assert.match(msg, /SWEEPHUB_HTTP_PORT/);
    assert.match(
      failure({ SWEEPHUB_DISCOVERY_ENABLED: "yes please" }),
      /true or false.*SWEEPHUB_DISCOVERY_ENABLED/,
    );
    assert.match(failure({ SWEEPHUB_HTTP_PORT: "1.5" }), /"1\.5".*integer/);
  });

  it("reports an out-of-range env value with the variable as its source", () => {
    write("http:\n  port: 9001\n");
    const msg = failure({ SWEEPHUB_HTTP_PORT: "70000" });
    assert.match(msg, /http\.port: 70000 is not allowed; expected an integer between 1 and 65535/);
    assert.match(msg, /environment variable SWEEPHUB_HTTP_PORT/);
    assert.doesNotMatch(msg, /config\.yaml/);
  });
});

describe("invalid config files", () => {
  it("reports a YAML syntax error with file and line", () => {
    write("http:\n  port: 80\n   host: x\n");
    const msg = failure();
    assert.match(msg, /YAML syntax error/);
    assert.ok(msg.includes(`${join(dir, "config.yaml")}:2`), msg);
  });

  it("reports a wrong type with key, value, allowed values and line", () => {
    write('hub:\n  name: home\nhttp:\n  port: "eighty"\n');
    const msg = failure();
    assert.match(msg, /http\.port: "eighty" is not allowed; expected an integer between 1 and 65535/);
    assert.ok(msg.includes(`${join(dir, "config.yaml")}:4`), msg);
  });

  it("reports out-of-range numbers", () => {
    write("robots:\n  commandTimeoutMs: 50\n");
    assert.match(
      failure(),
      /robots\.commandTimeoutMs: 50 is not allowed; expected an integer between 1000 and 120000/,
    );
    write("http:\n  port: 0\n");
    assert.match(failure(), /http\.port: 0 is not allowed/);
  });

  it("lists the allowed values of an enum", () => {
    write("log:\n  level: loud\n");
    assert.match(
      failure(),
      /log\.level: "loud" is not allowed; expected one of "fatal", "error", "warn", "info", "debug", "trace"/,
    );
  });

  it("checks hosts, interfaces and name length", () => {
    write("http:\n  host: 'not a host!'\n");
    assert.match(failure(), /http\.host: "not a host!" is not allowed; expected an IP address/);
    write("discovery:\n  interface: eth0\n");
    assert.match(failure(), /discovery\.interface: "eth0" is not allowed/);
    write(`hub:\n  name: ${"x".repeat(65)}\n`);
    assert.match(failure(), /hub\.name: .* expected a string of 1 to 64 characters/);
    write("http:\n  trustProxy: 'my-proxy'\n");
    assert.match(
      failure(),
      /http\.trustProxy: "my-proxy" is not allowed; expected IP addresses or CIDR networks/,
    );
    for (const proxies of ["127.0.0.1", "172.16.0.0/12, ::1", "10.0.0.2,10.0.0.3", ""]) {
      write(`http:\n  trustProxy: "${proxies}"\n`);
      assert.equal(loadConfig({ dataDir: dir, env: {} }).config.http.trustProxy, proxies);
    }
    for (const host of ["0.0.0.0", "::", "localhost", "hub.local", "fe80::1"]) {
      write(`http:\n  host: "${host}"\n`);
      assert.equal(loadConfig({ dataDir: dir, env: {} }).config.http.host, host);
    }
  });

  it("catches unknown keys at both levels, suggesting the intended one", () => {
    write("http:\n  prot: 8080\nlogs:\n  level: debug\n");
    const msg = failure();
    assert.match(msg, /http\.prot: unknown key \(did you mean "port"\?\); allowed keys in http: host, port/);
    assert.match(msg, /logs: unknown key \(did you mean "log"\?\)/);
    assert.ok(msg.includes(`${join(dir, "config.yaml")}:2`), msg);
  });

  it("reports every problem at once", () => {
    write("http:\n  port: -1\nlog:\n  level: 3\nretention:\n  days: true\n");
    const err = (() => {
      try {
        loadConfig({ dataDir: dir, env: {} });
      } catch (e) {
        return e as ConfigError;
      }
      assert.fail("expected failure");
    })();
    assert.deepEqual(
      err.issues.map((i) => i.path),
      ["http.port", "log.level", "retention.days"],
    );
  });

  it("rejects a file that is not a mapping, and a non-mapping section", () => {
    write("- just\n- a list\n");
    assert.match(failure(), /top level.*mapping/);
    write("http: 8080\n");
    assert.match(failure(), /http: 8080 is not allowed; expected a mapping with the keys host, port/);
  });

  it("rejects a reconnect minimum above the maximum", () => {
    write("robots:\n  reconnectMinMs: 5000\n  reconnectMaxMs: 2000\n");
    assert.match(failure(), /robots\.reconnectMinMs: 5000 .*at most robots\.reconnectMaxMs \(2000\)/);
  });
});
