import { describe, it, expect } from "vitest";
import { planConfigApply, type ExistingConfigRow } from "../../src/core/config/plan-config-apply.js";
import type { ConfigEntry } from "../../src/core/config/parse-config-csv.js";

const e = (key: string, value: string, type: ConfigEntry["type"], line: number): ConfigEntry => ({ key, value, type, line });
const row = (key: string, value: string, type = "string"): ExistingConfigRow => ({ key, value, type });

describe("planConfigApply", () => {
  it("first sync into an empty table inserts everything", () => {
    const entries = [e("llm-url", "http://localhost:8081", "string", 2), e("llm-temperature", "0.7", "number", 3)];
    expect(planConfigApply(entries, [], [])).toEqual({
      inserts: [e("llm-url", "http://localhost:8081", "string", 2), e("llm-temperature", "0.7", "number", 3)],
      updates: [],
      unchanged: [],
      deletes: [],
      ownedKeys: ["llm-temperature", "llm-url"],
    });
  });

  it("identical value and type is unchanged; nothing to write", () => {
    const entries = [e("Bot Name", "Ana", "string", 1), e("llm-server", "true", "boolean", 2)];
    const existing = [row("Bot Name", "Ana", "string"), row("llm-server", "true", "boolean")];
    expect(planConfigApply(entries, existing, ["Bot Name", "llm-server"])).toEqual({
      inserts: [],
      updates: [],
      unchanged: ["Bot Name", "llm-server"],
      deletes: [],
      ownedKeys: ["Bot Name", "llm-server"],
    });
  });

  it("a changed value is an update", () => {
    expect(planConfigApply([e("llm-model", "gpt-4o", "string", 5)], [row("llm-model", "gpt-4o-mini")], ["llm-model"])).toEqual({
      inserts: [],
      updates: [e("llm-model", "gpt-4o", "string", 5)],
      unchanged: [],
      deletes: [],
      ownedKeys: ["llm-model"],
    });
  });

  it("a type-only change is an update (e.g. a row the botserver wrote as 'string')", () => {
    expect(planConfigApply([e("llm-temperature", "0.7", "number", 3)], [row("llm-temperature", "0.7", "string")], [])).toEqual({
      inserts: [],
      updates: [e("llm-temperature", "0.7", "number", 3)],
      unchanged: [],
      deletes: [],
      ownedKeys: ["llm-temperature"],
    });
  });

  it("value comparison is exact: case and whitespace differences are updates", () => {
    const plan = planConfigApply(
      [e("a", "True", "boolean", 1), e("b", "x ", "string", 2), e("c", "", "string", 3)],
      [row("a", "true", "boolean"), row("b", "x"), row("c", "")],
      [],
    );
    expect(plan.updates.map((u) => u.key)).toEqual(["a", "b"]);
    expect(plan.unchanged).toEqual(["c"]);
  });

  it("keys the file no longer has are deleted only if this file owned them", () => {
    const entries = [e("kept", "1", "number", 1)];
    const existing = [row("kept", "1", "number"), row("dropped", "x"), row("set-by-api", "y"), row("also-dropped", "z")];
    expect(planConfigApply(entries, existing, ["kept", "dropped", "also-dropped"])).toEqual({
      inserts: [],
      updates: [],
      unchanged: ["kept"],
      deletes: ["also-dropped", "dropped"],
      ownedKeys: ["kept"],
    });
  });

  it("keys set by other means are never deleted, even when the file has no keys at all", () => {
    expect(planConfigApply([], [row("set-by-api", "y"), row("admin-ui", "z")], [])).toEqual({
      inserts: [],
      updates: [],
      unchanged: [],
      deletes: [],
      ownedKeys: [],
    });
  });

  it("a key owned by the file and set by other means afterwards is overwritten by the file", () => {
    // The file still has it: it is the file's value that counts.
    expect(planConfigApply([e("k", "from-file", "string", 1)], [row("k", "from-api")], ["k"]).updates).toEqual([
      e("k", "from-file", "string", 1),
    ]);
  });

  it("a previously owned key that is already gone from the table is not deleted again", () => {
    expect(planConfigApply([], [row("other", "1")], ["gone", "other"])).toEqual({
      inserts: [],
      updates: [],
      unchanged: [],
      deletes: ["other"],
      ownedKeys: [],
    });
  });

  it("deleting the file deletes every previously owned key that still exists, and nothing else", () => {
    const existing = [row("a", "1", "number"), row("b", "2", "number"), row("manual", "m"), row("c", "x")];
    expect(planConfigApply([], existing, ["c", "a", "b", "vanished"])).toEqual({
      inserts: [],
      updates: [],
      unchanged: [],
      deletes: ["a", "b", "c"],
      ownedKeys: [],
    });
  });

  it("a key that existed before (set by other means) and now appears in the file becomes owned", () => {
    expect(planConfigApply([e("manual", "m", "string", 4)], [row("manual", "m")], [])).toEqual({
      inserts: [],
      updates: [],
      unchanged: ["manual"],
      deletes: [],
      ownedKeys: ["manual"],
    });
  });

  it("a realistic re-sync: insert, update, unchanged, delete and a foreign key together", () => {
    const entries = [
      e("Bot Name", "Pizzaria", "string", 2),
      e("llm-url", "http://llm:8081/v1", "string", 3),
      e("llm-temperature", "0.5", "number", 4),
      e("theme-color1", "#0d2b55", "string", 5),
      e("llm-server", "true", "boolean", 6),
    ];
    const existing = [
      row("Bot Name", "Pizzaria"),
      row("llm-url", "http://localhost:8081/v1"),
      row("llm-temperature", "0.7", "number"),
      row("llm-server", "true", "string"),
      row("theme-color2", "#fff9c2"),
      row("param-discount", "5", "number"),
    ];
    const previouslyOwned = ["Bot Name", "llm-url", "llm-temperature", "llm-server", "theme-color2"];
    expect(planConfigApply(entries, existing, previouslyOwned)).toEqual({
      inserts: [e("theme-color1", "#0d2b55", "string", 5)],
      updates: [
        e("llm-url", "http://llm:8081/v1", "string", 3),
        e("llm-temperature", "0.5", "number", 4),
        e("llm-server", "true", "boolean", 6),
      ],
      unchanged: ["Bot Name"],
      deletes: ["theme-color2"],
      ownedKeys: ["Bot Name", "llm-server", "llm-temperature", "llm-url", "theme-color1"],
    });
  });

  it("keys are case-sensitive: a key differing only in case is a different key", () => {
    expect(planConfigApply([e("theme", "dark", "string", 1)], [row("Theme", "dark")], ["Theme"])).toEqual({
      inserts: [e("theme", "dark", "string", 1)],
      updates: [],
      unchanged: [],
      deletes: ["Theme"],
      ownedKeys: ["theme"],
    });
  });

  it("ownedKeys and deletes are sorted by code unit (uppercase before lowercase), not by locale", () => {
    const plan = planConfigApply(
      [e("b", "1", "number", 1), e("Z", "1", "number", 2), e("a", "1", "number", 3), e("Bot Name", "x", "string", 4)],
      [row("y", "1"), row("X", "1")],
      ["y", "X"],
    );
    expect(plan.ownedKeys).toEqual(["Bot Name", "Z", "a", "b"]);
    expect(plan.deletes).toEqual(["X", "y"]);
  });

  it("duplicate keys in previouslyOwned produce one delete", () => {
    expect(planConfigApply([], [row("k", "v")], ["k", "k"]).deletes).toEqual(["k"]);
  });

  it("duplicate entries (which the parser never produces) resolve to the last one", () => {
    expect(planConfigApply([e("k", "1", "number", 1), e("k", "2", "number", 3)], [row("k", "1", "number")], [])).toEqual({
      inserts: [],
      updates: [e("k", "2", "number", 3)],
      unchanged: [],
      deletes: [],
      ownedKeys: ["k"],
    });
  });

  it("does not mutate its inputs", () => {
    const entries = [e("b", "1", "number", 1), e("a", "2", "number", 2)];
    const existing = [row("c", "x")];
    const owned = ["c"];
    planConfigApply(entries, existing, owned);
    expect(entries).toEqual([e("b", "1", "number", 1), e("a", "2", "number", 2)]);
    expect(existing).toEqual([row("c", "x")]);
    expect(owned).toEqual(["c"]);
  });
});
