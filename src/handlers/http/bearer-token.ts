import { timingSafeEqual } from "hono/utils/buffer";
import { BotsyncError } from "../../core/errors.js";

/**
 * Checks `Authorization: <scheme> <token>` in constant time. MinIO sends a one-word auth_token as
 * `Bearer <token>` and a two-word auth_token as it is (reference A.3), so any single scheme word is
 * accepted in front of the token; three or more words never match.
 */
export async function requireToken(header: string | undefined, expected: string, what: string): Promise<void> {
  const words = (header ?? "").trim().split(/\s+/);
  const presented = words.length === 2 ? words[1]! : "";
  // Compared even when nothing was presented, so a missing header takes as long as a wrong one.
  const ok = await timingSafeEqual(presented, expected);
  if (!ok || presented === "") {
    throw new BotsyncError("UNAUTHORIZED", header ? `${what} token is not valid` : `missing Authorization: Bearer <${what} token>`);
  }
}
