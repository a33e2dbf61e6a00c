import { defineConfig } from "vitest/config";
import { SlowFirstSequencer } from "./test/harness/slow-first-sequencer.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    globalSetup: ["test/harness/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each integration file creates its own database and S3 server, so files can run in parallel.
    pool: "forks",
    maxWorkers: 2,
    // The longest files start first, so the run does not end waiting on one that started last.
    sequence: { sequencer: SlowFirstSequencer },
  },
});
