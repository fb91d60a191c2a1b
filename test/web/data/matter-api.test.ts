import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fabricName, groupManualCode } from "../../../web/src/data/matter-api.ts";

describe("Matter panel helpers", () => {
  it("groups manual pairing codes as people type them", () => {
    assert.equal(groupManualCode("34970112332"), "3497-011-2332");
    assert.equal(groupManualCode("749701123365521327694"), "7497-011-2336-55213-27694");
    assert.equal(groupManualCode("12-34"), "12-34");
  });

  it("names controllers by label and maker", () => {
    assert.equal(fabricName({ label: "", vendorId: 4937 }), "Apple Home");
    assert.equal(fabricName({ label: "Kitchen hub", vendorId: 4939 }), "Kitchen hub (Home Assistant)");
    assert.equal(fabricName({ label: "Home", vendorId: 1234 }), "Home");
    assert.equal(fabricName({ label: "", vendorId: 1234 }), "Controller of vendor 1234");
  });
});
