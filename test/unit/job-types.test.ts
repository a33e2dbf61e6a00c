import { describe, expect, it } from "vitest";
import { filePathOf, retryDelayMs, splitFilePath } from "../../src/core/jobs/job-types.js";

describe("retryDelayMs", () => {
  it.each([
    [0, 1000],
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 16000],
    [6, 32000],
    [7, 64000],
    [8, 128000],
    [9, 256000],
    [10, 300000],
    [11, 300000],
    [50, 300000],
    [2000, 300000],
  ])("attempt %i → %i ms", (attempts, ms) => {
    expect(retryDelayMs(attempts)).toBe(ms);
  });
});

describe("filePathOf / splitFilePath", () => {
  it("joins bucket and key with one slash, as the botserver writes file_path", () => {
    expect(filePathOf("demo.gbai", "demo.gbot/config.csv")).toBe("demo.gbai/demo.gbot/config.csv");
  });

  it("splits at the first slash only, keeping nested keys whole", () => {
    expect(splitFilePath("demo.gbai/demo.gbkb/docs/2026/a b.pdf")).toEqual({ bucket: "demo.gbai", key: "demo.gbkb/docs/2026/a b.pdf" });
  });

  it.each([
    ["demo.gbai", "demo.gbot/config.csv"],
    ["demo.gbai", "demo.gbdialog/sub/dir/start.bas"],
    ["sales-2.gbai", "sales-2.gbkb/manuals/x/y/z.txt"],
    ["demo.gbai", "demo.gbkb/a//b.txt"],
  ])("round-trips %s + %s", (bucket, key) => {
    expect(splitFilePath(filePathOf(bucket, key))).toEqual({ bucket, key });
  });
});
