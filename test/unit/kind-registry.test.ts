import { describe, expect, it } from "vitest";
import { KindRegistry, register } from "../../src/core/jobs/kind-registry.js";
import type { ObjectKind } from "../../src/core/jobs/object-kind.js";
import { productionKinds } from "../harness/kinds.js";

describe("the service's object kinds", () => {
  const kinds = productionKinds();

  it("use the botserver's drive_files.file_type values, and only KB documents run in the kb lane", () => {
    expect(["config", "dialog", "kb"].map((name) => [name, kinds.byName(name)?.fileType, kinds.byName(name)?.lane])).toEqual([
      ["config", "config", "fast"],
      ["dialog", "bas", "fast"],
      ["kb", "kb", "kb"],
    ]);
  });

  it.each([
    ["config", "config"],
    ["bas", "dialog"],
    ["kb", "kb"],
    ["prompt", undefined],
    ["other", undefined],
    ["dialog", undefined],
    ["", undefined],
  ])("file type %j is kind %s", (fileType, name) => {
    expect(kinds.byFileType(fileType)?.name).toBe(name);
  });
});

describe("KindRegistry", () => {
  const kind = (name: string, fileType: string, prefix: string): ObjectKind<unknown> => ({
    name,
    fileType,
    lane: "fast",
    matches: (bot, key) => key.startsWith(`${bot}.${prefix}`),
    handler: { maxBytes: 1, apply: async () => ({ diagnostics: [] }), remove: async () => {} },
  });

  it("asks the kinds in registration order: the first that claims a key has it", () => {
    const registry = new KindRegistry([register(kind("narrow", "n", "gbx/special"), () => ({})), register(kind("wide", "w", "gbx/"), () => ({}))]);
    expect(registry.classify("b", "b.gbx/special/a")).toMatchObject({ ok: true, kind: { name: "narrow" } });
    expect(registry.classify("b", "b.gbx/other/a")).toMatchObject({ ok: true, kind: { name: "wide" } });
    expect(registry.classify("b", "b.gby/a")).toEqual({ ok: true, kind: null, key: "b.gby/a" });
  });

  it("refuses hostile keys before any kind sees them", () => {
    let asked = 0;
    const registry = new KindRegistry([register({ ...kind("any", "a", ""), matches: () => (asked++, true) }, () => ({}))]);
    expect(registry.classify("b", "b.gbx/../etc/passwd")).toEqual({ ok: false, reason: "key contains a '..' path segment" });
    expect(asked).toBe(0);
  });

  it("refuses a kind registered twice, by name or by file type", () => {
    expect(() => new KindRegistry([register(kind("a", "x", "p"), () => ({})), register(kind("a", "y", "q"), () => ({}))])).toThrow(/registered twice/);
    expect(() => new KindRegistry([register(kind("a", "x", "p"), () => ({})), register(kind("b", "x", "q"), () => ({}))])).toThrow(/registered twice/);
  });

  it("binds each kind's store to the transaction it is given", () => {
    const registry = new KindRegistry<{ id: number }>([register(kind("a", "x", "p"), (tx: { id: number }) => ({ boundTo: tx.id }))]);
    expect(registry.registration("a")?.store({ id: 7 })).toEqual({ boundTo: 7 });
  });
});
