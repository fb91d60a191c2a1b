import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HUB_ERRORS } from "../../../hub/core/errors.ts";
import { ApiError } from "../../../web/src/data/api.ts";
import { describeError } from "../../../web/src/data/error-text.ts";

describe("error text", () => {
  it("every code in the hub's registry gets a title and the hub's message", () => {
    for (const [code, def] of Object.entries(HUB_ERRORS)) {
      const text = describeError(new ApiError(code, def.status, def.message));
      assert.ok(text.title.length > 3, code);
      assert.equal(text.message, def.message, code);
      assert.equal(text.code, code);
    }
  });

  it("titles say who is at fault; specific ones where it helps", () => {
    assert.equal(describeError(new ApiError("robot_offline", 503, "m")).title, "The robot is offline");
    assert.equal(describeError(new ApiError("robot_error", 502, "m")).title, "The robot could not do that");
    assert.equal(describeError(new ApiError("internal", 500, "m")).title, "Something went wrong in the hub");
    assert.equal(describeError(new ApiError("some_future_code", 403, "m")).title, "That did not work");
  });

  it("explains network failures and developer-facing validation messages", () => {
    assert.equal(describeError(new ApiError("network", 0, "x")).title, "No connection to the hub");
    const v = describeError(new ApiError("invalid_request", 400, "body /fanSpeed: must be equal to one of"));
    assert.match(v.message, /did not accept the values/);
    assert.match(v.message, /fanSpeed/);
    assert.equal(describeError(new TypeError("boom")).message, "boom");
  });
});
