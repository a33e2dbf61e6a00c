/**
 * Where compiled dialog artifacts go: the botserver's work dir on Node
 * (`{WORK_DIR}/{bot}.gbai/{bot}.gbdialog/{file}`), the drive on Workers. Writes are atomic: a reader sees the
 * old file or the new one, never half of either.
 */
export interface ArtifactStore {
  /** `file` is a bare file name such as `start.ast` (no directories) */
  write(bot: string, file: string, content: string): Promise<void>;
  /** removing a file that is not there is not an error */
  remove(bot: string, file: string): Promise<void>;
  /** where `file` lives, for `basic_tools.ast_path` */
  locate(bot: string, file: string): string;
}

