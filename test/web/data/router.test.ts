import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchRoute, type Route, routePath } from "../../../web/src/data/router.ts";

describe("router", () => {
  it("matches every page and builds its path back", () => {
    const cases: [string, Route][] = [
      ["/", { page: "robots" }],
      ["/robots/add", { page: "add-robot" }],
      ["/robots/rosie-1", { page: "robot", robotId: "rosie-1", tab: "map" }],
      ["/robots/rosie-1/history", { page: "robot", robotId: "rosie-1", tab: "history" }],
      ["/settings/users", { page: "settings", section: "users" }],
      ["/login", { page: "login" }],
      ["/welcome", { page: "onboarding" }],
      ["/invite/abc", { page: "invitation", code: "abc" }],
      ["/invite", { page: "invitation", code: "" }],
    ];
    for (const [path, route] of cases) {
      assert.deepEqual(matchRoute(path), route, path);
      assert.equal(routePath(route), path);
    }
  });

  it("unknown paths are not found, ids are decoded", () => {
    assert.equal(matchRoute("/robots/r1/nonsense").page, "not-found");
    assert.equal(matchRoute("/elsewhere").page, "not-found");
    assert.deepEqual(matchRoute("/robots/a%20b"), { page: "robot", robotId: "a b", tab: "map" });
    assert.equal(matchRoute("/settings").page, "settings");
  });
});
