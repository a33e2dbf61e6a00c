/** The shape of a runtime profile as data (see runtime-profile.ts for how the compiler reads it). */
export interface RuntimeProfileData {
  /** Which botserver build it describes, e.g. `generalbots/generalbots @ f59afde5`. */
  source: string;
  /** Leading keyword → the one custom syntax in force, in Rhai's notation (`TALK $expr$`). */
  syntax: Record<string, string>;
  /** Callable name → its registered arities, comma-separated; `N+` = N or more. */
  functions: Record<string, string>;
  /**
   * Custom syntax registered but replaced by a later one with the same first word (not in force): the
   * forms scripts still write. They are lowered to a function of the same name where one exists.
   */
  replaced: string[];
}
