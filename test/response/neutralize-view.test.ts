import { describe, expect, it } from "vitest";
import { neutralizeView } from "../../src/render/neutralize.js";
import { trusted } from "../../src/render/templates.js";

describe("neutralizeView (copy on write)", () => {
  it("defuses every nested string, leaves the view it was given as it was, and keeps the app's markup", () => {
    const markup = trusted("<!-- embargo:item x -->");
    const view = { title: "by @mallory", list: ["a", "ping @org/team", 3], deep: { note: "<!-- hidden -->", n: null }, markup };
    const before = JSON.stringify(view);
    const safe = neutralizeView(view);
    expect(safe).toEqual({ title: "by @\u200bmallory", list: ["a", "ping @\u200borg/team", 3], deep: { note: "<\u200b!-- hidden -->", n: null }, markup });
    expect(safe.markup).toBe(markup);
    expect(JSON.stringify(view)).toBe(before);
  });

  it("returns parts with nothing to defuse as they are, and copies other objects into plain ones as before", () => {
    const clean = { ids: ["a1", "b2"], at: "2026-11-20", mail: "sec@example.org" };
    expect(neutralizeView(clean)).toBe(clean);
    const mixed = { clean: clean.ids, dirty: ["@x"] };
    const safe = neutralizeView(mixed);
    expect(safe.clean).toBe(clean.ids);
    expect(safe.dirty).toEqual(["@\u200bx"]);
    class Box {
      label = "plain";
    }
    const boxed = neutralizeView({ box: new Box() });
    expect(Object.getPrototypeOf(boxed.box)).toBe(Object.prototype);
    expect(boxed.box).toEqual({ label: "plain" });
  });
});
