import { build } from "esbuild";
import { join } from "node:path";

/**
 * Bundles bench/ingest-server.ts the way `npm run build` bundles the service (esbuild, packages external),
 * into dist/bench/ so node_modules resolve from the project; the extraction thread is built beside it.
 */
export async function buildService(root: string): Promise<string> {
  const outdir = join(root, "dist", "bench");
  await build({
    entryPoints: { "ingest-server": join(root, "bench/ingest-server.ts"), "extract-thread": join(root, "src/adapters/kb/extract-thread-body.ts") },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outdir,
    outExtension: { ".js": ".mjs" },
    logLevel: "warning",
  });
  return join(outdir, "ingest-server.mjs");
}
