import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    globalSetup: ["test/harness/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each integration file creates its own database and S3 server, so files can run in parallel;
    // two forks match the two cores CI has.
    pool: "forks",
    maxWorkers: 2,
  },
});
