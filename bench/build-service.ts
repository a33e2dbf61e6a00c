import { join } from "node:path";
import { bundleForNode } from "../test/harness/service-process.js";

/**
 * Bundles bench/ingest-server.ts the way `npm run build` bundles the service (esbuild, packages external),
 * into dist/bench/ so node_modules resolve from the project; the extraction thread is built beside it.
 */
export async function buildService(root: string): Promise<string> {
  const outdir = join(root, "dist", "bench");
  await bundleForNode({ "ingest-server": join(root, "bench/ingest-server.ts") }, outdir);
  return join(outdir, "ingest-server.mjs");
}
