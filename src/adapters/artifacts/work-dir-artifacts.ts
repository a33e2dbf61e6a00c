import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { BotsyncError } from "../../core/errors.js";
import { artifactPath } from "../../core/dialogs/dialog-name.js";
import type { ArtifactStore } from "../../core/ports/artifact-store.js";

/**
 * The botserver's work-dir layout: `{WORK_DIR}/{bot}.gbai/{bot}.gbdialog/{file}`. Each write goes to a
 * temporary file in the same directory and is renamed over the target (atomic on one file system). Bot and
 * file names are checked, and the final path must resolve inside WORK_DIR, so no object key can write
 * outside it.
 */
export class WorkDirArtifacts implements ArtifactStore {
  private readonly root: string;

  constructor(workDir: string) {
    this.root = resolve(workDir);
  }

  locate(bot: string, file: string): string {
    const path = resolve(this.root, artifactPath(bot, file));
    if (!path.startsWith(this.root + sep)) throw new BotsyncError("INVALID_KEY", `artifact path escapes WORK_DIR: ${file}`);
    return path;
  }

  async write(bot: string, file: string, content: string): Promise<void> {
    const target = this.locate(bot, file);
    const dir = join(target, "..");
    // Short, so the temporary name never fails where the target name would fit.
    const temp = join(dir, `.botsync-${randomBytes(6).toString("hex")}.tmp`);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(temp, content, "utf8");
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => {});
      throw workDirError(error, `cannot write ${target}`);
    }
  }

  async remove(bot: string, file: string): Promise<void> {
    const target = this.locate(bot, file);
    try {
      await rm(target, { force: true });
    } catch (error) {
      throw workDirError(error, `cannot remove ${target}`);
    }
  }
}

// What can never succeed for this name (too long, a file where a folder must be) fails the object until
// its key changes; what an operator can fix (permissions, a full or read-only disk) is retried.
const PERMANENT_FS_ERRORS = new Set(["ENAMETOOLONG", "EINVAL", "ENOTDIR", "EISDIR", "EILSEQ"]);

function workDirError(error: unknown, what: string): BotsyncError {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  const reason = error instanceof Error ? error.message : String(error);
  if (PERMANENT_FS_ERRORS.has(code)) {
    const hint = code === "ENAMETOOLONG" ? " (the dialog's path or name is too long for the file system; shorten it)" : "";
    return new BotsyncError("ARTIFACT_UNWRITABLE", `${what}: ${reason}${hint}`, { cause: error });
  }
  return new BotsyncError("WORK_DIR_UNAVAILABLE", `${what}: ${reason}`, { retryable: true, cause: error });
}
