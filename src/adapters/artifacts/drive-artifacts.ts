import { artifactPath } from "../../core/dialogs/dialog-name.js";
import type { ArtifactStore } from "../../core/ports/artifact-store.js";
import type { S3Drive } from "../drive/s3-drive.js";

/** The work-dir layout, mirrored under this prefix of each bot's bucket. */
export const DRIVE_WORK_PREFIX = ".botsync/work";

/**
 * Artifacts for runtimes without a file system (the Worker): written into the bot's own bucket under
 * `.botsync/work/{bot}.gbai/{bot}.gbdialog/{file}`, the botserver's work-dir layout, so
 * `mc mirror ALIAS/{bot}.gbai/.botsync/work/ /opt/gbo/work/` hands a botserver exactly its work dir. An S3
 * PUT replaces an object whole, which is the atomicity the work dir gets from rename. Objects under
 * `.botsync/` are "other" objects to botsync, so their own notifications are recorded and ignored.
 */
export class DriveArtifacts implements ArtifactStore {
  constructor(private readonly drive: Pick<S3Drive, "putObject" | "deleteObject">) {}

  locate(bot: string, file: string): string {
    return `s3://${bot}.gbai/${this.key(bot, file)}`;
  }

  write(bot: string, file: string, content: string): Promise<void> {
    return this.drive.putObject(`${bot}.gbai`, this.key(bot, file), content, file.endsWith(".json") ? "application/json" : "text/plain; charset=utf-8");
  }

  remove(bot: string, file: string): Promise<void> {
    return this.drive.deleteObject(`${bot}.gbai`, this.key(bot, file));
  }

  private key(bot: string, file: string): string {
    return `${DRIVE_WORK_PREFIX}/${artifactPath(bot, file)}`;
  }
}
