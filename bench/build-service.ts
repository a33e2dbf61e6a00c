import { join } from "node:path";
import { bundleForNode, THREAD_ENTRY_POINTS } from "../bin/build.mjs";

/**
 * Bundles bench/ingest-server.ts the way `npm run build` bundles the service, into dist/bench/ so
 * node_modules resolve from the project; the thread bodies are built beside it.
 */
export async function buildService(root: string): Promise<string> {
  const outdir = join(root, "dist", "bench");
  await bundleForNode({ "ingest-server": "bench/ingest-server.ts", ...THREAD_ENTRY_POINTS }, outdir);
  return join(outdir, "ingest-server.mjs");
}
