/**
 * Bot buckets and bot names, as the botserver has them: a bucket is a bot bucket iff it ends in `.gbai`,
 * and the bot is the bucket name without that suffix (docs/botserver-compatibility.md, "Buckets and bot
 * names").
 *
 * A bot name is 1–58 characters of `[a-z0-9-]`, starting and ending with `[a-z0-9]`. 58 = 63 (the S3 bucket
 * name limit) − 5 (`.gbai`), so every valid bot name gives a valid bucket name and vice versa.
 *
 * Decisions:
 * - Consecutive hyphens (`my--bot`) are ALLOWED: MinIO accepts them in bucket names (its strict check is
 *   `^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$` without `..`, `.-`, `-.`), so such a bucket can exist and its bot
 *   must be synced; refusing it would leave a real bot silently out of sync.
 * - Dots and upper case are REJECTED: `[a-z0-9-]` only. A bucket like `a.b.gbai` or `Demo.gbai` is reported
 *   as "not a bot bucket" with the reason, never guessed at.
 * - Matching of the `.gbai` suffix is case-sensitive (S3 bucket names are lower case anyway).
 */

export const BOT_BUCKET_SUFFIX = ".gbai";
export const MAX_BOT_NAME_LENGTH = 58;

const BOT_NAME_RE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export type BotNameResult = { ok: true; bot: string } | { ok: false; reason: string };

/** The reason `name` is not a valid bot name, or null when it is. */
export function botNameProblem(name: string): string | null {
  if (name.length === 0) return "bot name is empty";
  if (name.length > MAX_BOT_NAME_LENGTH) return `bot name is longer than ${MAX_BOT_NAME_LENGTH} characters`;
  if (!BOT_NAME_RE.test(name)) {
    return "bot name must be lower-case letters, digits and '-', starting and ending with a letter or digit";
  }
  return null;
}

/** True for a valid bot name (use for API path parameters). */
export function isBotName(name: string): boolean {
  return botNameProblem(name) === null;
}

/** `demo.gbai` → `{ ok: true, bot: "demo" }`; anything that is not a valid bot bucket → `{ ok: false, reason }`. */
export function botNameFromBucket(bucket: string): BotNameResult {
  if (!bucket.endsWith(BOT_BUCKET_SUFFIX)) {
    return { ok: false, reason: `bucket ${JSON.stringify(bucket.slice(0, 80))} is not a bot bucket (no ${BOT_BUCKET_SUFFIX} suffix)` };
  }
  const bot = bucket.slice(0, -BOT_BUCKET_SUFFIX.length);
  const problem = botNameProblem(bot);
  if (problem !== null) return { ok: false, reason: `bucket ${JSON.stringify(bucket.slice(0, 80))}: ${problem}` };
  return { ok: true, bot };
}

/** `demo` → `demo.gbai`. The caller is expected to pass a valid bot name. */
export function bucketForBot(bot: string): string {
  return bot + BOT_BUCKET_SUFFIX;
}
