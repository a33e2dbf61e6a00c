#!/usr/bin/env node
// The one build of the Node service and the CLI: esbuild bundles each entry point (and the thread bodies
// they start) into dist/node/*.mjs. `npm run build` / `npm start` run it; bin/botsync.mjs runs it only
// when a source file is newer than the bundle, so the CLI always runs what the sources say.
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist", "node");
mkdirSync(outdir, { recursive: true });

/** The bodies of the worker threads the service starts; each must sit next to the bundle that starts it. */
export const THREAD_ENTRY_POINTS = {
  "extract-thread": "src/adapters/kb/extract-thread-body.ts",
  "validate-thread": "src/adapters/validate/validate-thread-body.ts",
};

export const ENTRY_POINTS = {
  node: "functions/node.ts",
  cli: "functions/cli.ts",
  ...THREAD_ENTRY_POINTS,
};

/**
 * Builds into a scratch directory, then renames each bundle into place: two CLI calls that rebuild at the
 * same moment never load a half-written file.
 */
export async function buildService() {
  const scratch = mkdtempSync(join(root, "dist", ".build-"));
  try {
    await bundleForNode(ENTRY_POINTS, scratch);
    for (const file of readdirSync(scratch)) renameSync(join(scratch, file), join(outdir, file));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** esbuild with the options every Node bundle of this project shares (the bench bundles its own entries). */
export async function bundleForNode(entryPoints, outdir) {
  // Loaded only when a build is due: a CLI call with a fresh bundle should not pay for it.
  const { build } = await import("esbuild");
  await build({
    absWorkingDir: root,
    entryPoints,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outdir,
    outExtension: { ".js": ".mjs" },
    logLevel: "warning",
  });
}

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!entry.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds when any bundle is missing or older than a source file (src/, functions/, package.json). */
export async function buildIfStale() {
  const built = Object.keys(ENTRY_POINTS).map((name) => {
    try {
      return statSync(join(outdir, `${name}.mjs`)).mtimeMs;
    } catch {
      return 0;
    }
  });
  const sources = Math.max(newestSource(join(root, "src")), newestSource(join(root, "functions")), statSync(join(root, "package.json")).mtimeMs);
  if (Math.min(...built) < sources) await buildService();
  return outdir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await buildService();
