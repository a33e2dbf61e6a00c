/**
 * Regenerates src/core/basic/runtime-profile/botserver-runtime.ts from a botserver runtime description
 * (a directory with syntax_in_force.tsv, functions.tsv, registrations.tsv and README.md):
 *
 *   npm run runtime-profile -- path/to/botserver-runtime
 *
 * runtime-profile.test.ts checks that the committed file is what such a directory says.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildProfile, renderProfileModule, type RuntimeDescription } from "../../../src/core/basic/runtime-profile/build-profile.js";

export const PROFILE_MODULE = join(dirname(fileURLToPath(import.meta.url)), "../../../src/core/basic/runtime-profile/botserver-runtime.ts");

export function readDescription(dir: string): RuntimeDescription {
  const read = (file: string) => readFileSync(join(dir, file), "utf8");
  let readme: string | undefined;
  try {
    readme = read("README.md");
  } catch {
    readme = undefined;
  }
  return { syntaxInForce: read("syntax_in_force.tsv"), functions: read("functions.tsv"), registrations: read("registrations.tsv"), readme };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2];
  if (dir === undefined) {
    console.error("usage: npm run runtime-profile -- <directory with syntax_in_force.tsv, functions.tsv and registrations.tsv>");
    process.exit(2);
  }
  const profile = buildProfile(readDescription(dir));
  writeFileSync(PROFILE_MODULE, renderProfileModule(profile));
  console.log(`${PROFILE_MODULE}: ${Object.keys(profile.syntax).length} keywords, ${Object.keys(profile.functions).length} functions (${profile.source})`);
}
