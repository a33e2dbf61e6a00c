import { defineConfig } from "vitest/config";
import { SlowFirstSequencer } from "./test/harness/slow-first-sequencer.js";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Three on two cores: the two Ceph files each wait ≈ 30 s, idle, for radosgw's first queue listing, and a
    // third worker keeps the cores busy meanwhile (measured: 74 s → 63 s for those files and the fuzzers;
    // no difference on the CPU-bound rest, 2 → 4 workers: 114 s → 109 s).
    maxWorkers: 3,
    // The longest files start first, so the run does not end waiting on one that started last.
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          // In process: no database, no server, no global state kept between files — so the files of a
          // worker share their imports instead of loading Hono, zod and PDF.js again for each (4× faster).
          name: "unit",
          include: ["test/unit/**/*.test.ts", "src/**/*.test.ts"],
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          // Each file creates its own database, S3 server or service, so files run in parallel.
          name: "services",
          include: ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts", "test/browser/**/*.test.ts", "test/fuzz/**/*.test.ts"],
          globalSetup: ["test/harness/global-setup.ts"],
        },
      },
    ],
  },
});
