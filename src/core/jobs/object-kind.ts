import type { Lane } from "./job-types.js";
import type { ObjectJobHandler } from "./object-job-handler.js";

/**
 * One kind of object botsync keeps in sync (config.csv, dialogs, KB documents) as a slice: which keys are
 * its objects, what the botserver's `drive_files.file_type` calls them, which lane runs their jobs, and the
 * job that applies them through the kind's own store (a port of the slice, bound to the job's transaction
 * by the adapter registered with it). A new kind is a folder with its slice, its store's adapter, and one
 * line in the registry (functions/compose.ts).
 */
export interface ObjectKind<Store> {
  /** e.g. "config"; the kind in logs, metrics and the API */
  readonly name: string;
  /** `drive_files.file_type` as the botserver writes it */
  readonly fileType: string;
  /** slow kinds get their own lane, so they never delay the fast ones */
  readonly lane: Lane;
  /** Whether a key of bot `bot` (decoded, and already checked by validateObjectKey) is one of its objects. */
  matches(bot: string, key: string): boolean;
  readonly handler: ObjectJobHandler<Store>;
}
