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
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.${file}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      await writeFile(temp, content, "utf8");
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw new BotsyncError("INTERNAL", `cannot write ${target}: ${(error as Error).message}`, { retryable: true, cause: error });
    }
  }

  async remove(bot: string, file: string): Promise<void> {
    await rm(this.locate(bot, file), { force: true });
  }
}
