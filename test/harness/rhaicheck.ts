/**
 * rhaicheck: the botserver's own Rhai engine (every custom syntax registered in the botserver's order, its
 * function table) as a compile-only checker. Tests use it to prove that an `.ast` loads in the runtime and
 * calls only functions that exist there, with a registered number of arguments.
 *
 * It is not part of this repository. The tests look for an executable at `../shared/tools/rhaicheck`
 * relative to the repository root (RHAICHECK_PATH); when there is none, the checks that need it skip
 * (`describe.skipIf(!RHAICHECK_PRESENT)`) and their names say so (RHAICHECK_ABSENT).
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const RHAICHECK_PATH = resolve(REPO_ROOT, "..", "shared", "tools", "rhaicheck");

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const RHAICHECK_PRESENT = executable(RHAICHECK_PATH);

/** What a test says when it skipped. */
export const RHAICHECK_ABSENT = `skipped: the runtime checker ${RHAICHECK_PATH} is absent (it is not part of this repository)`;

export interface RhaiCheck {
  path: string;
  /** The file compiles in the runtime's engine. */
  loads: boolean;
  /** Zero bytes: the botserver skips such an `.ast` and runs the `.bas` instead. */
  empty: boolean;
  /** The engine's parse error, `message (line:col)`; null when it loads. */
  error: string | null;
  /** Functions called that the runtime does not register. */
  unresolved: string[];
  /** `NAME/N`: called with a number of arguments the runtime never registered. */
  arity: string[];
}

/** Runs `rhaicheck --calls` once on files or directories (recursively, `*.ast`) and parses its TSV output. */
export function rhaicheck(paths: readonly string[]): RhaiCheck[] {
  if (!RHAICHECK_PRESENT) throw new Error(RHAICHECK_ABSENT);
  const run = spawnSync(RHAICHECK_PATH, ["--calls", ...paths], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (run.error !== undefined) throw run.error;
  // 0 = every file loads, 1 = some did not; 2 = usage or I/O error.
  if (run.status !== 0 && run.status !== 1) throw new Error(`rhaicheck exited with ${run.status}: ${run.stderr}`);
  const results: RhaiCheck[] = [];
  for (const line of run.stdout.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const [path, status, message, unresolved, arity] = line.split("\t");
    const list = (cell: string | undefined, prefix: string) =>
      (cell ?? "").startsWith(prefix) ? cell!.slice(prefix.length).split(",").filter((x) => x !== "") : [];
    results.push({
      path: path!,
      loads: status === "OK",
      empty: status === "OK" && (message ?? "").startsWith("empty file"),
      error: status === "OK" ? null : (message ?? ""),
      unresolved: list(unresolved, "unresolved="),
      arity: list(arity, "arity="),
    });
  }
  return results;
}

/**
 * Checks `.ast` texts by name: writes them into a fresh temporary directory, runs rhaicheck once on it
 * and removes the directory. Returns the result per name.
 */
export function rhaicheckSources(sources: ReadonlyMap<string, string> | Record<string, string>): Map<string, RhaiCheck> {
  const entries = sources instanceof Map ? [...sources.entries()] : Object.entries(sources);
  const dir = mkdtempSync(join(tmpdir(), "botsync-rhaicheck-"));
  try {
    const byPath = new Map<string, string>();
    entries.forEach(([name, text], i) => {
      const file = join(dir, `${String(i).padStart(6, "0")}.ast`);
      writeFileSync(file, text);
      byPath.set(file, name);
    });
    const out = new Map<string, RhaiCheck>();
    for (const result of rhaicheck([dir])) {
      const name = byPath.get(result.path);
      if (name !== undefined) out.set(name, result);
    }
    for (const [file, name] of byPath) if (!out.has(name)) throw new Error(`rhaicheck did not report ${file} (${name})`);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A one-line reason a check failed, for test messages; null when the file loads and calls only what exists. */
export function rhaicheckProblem(result: RhaiCheck): string | null {
  if (!result.loads) return `does not load: ${result.error}`;
  if (result.empty) return "is empty: the botserver would run the .bas instead";
  if (result.unresolved.length > 0) return `calls unregistered functions: ${result.unresolved.join(", ")}`;
  if (result.arity.length > 0) return `calls with unregistered arities: ${result.arity.join(", ")}`;
  return null;
}
