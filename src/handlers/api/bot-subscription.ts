import type { z } from "@hono/zod-openapi";
import { errorText } from "../../core/errors.js";
import type { AppDeps } from "../app-deps.js";
import type { subscription } from "./schemas.js";

export type BotSubscription = z.infer<typeof subscription>;

/**
 * Whether the bot's bucket is subscribed to botsync's notifications (S3_NOTIFY), as the storage server has
 * it now; null when S3_NOTIFY is off. A storage server that cannot be asked is an answer, not a 5xx.
 */
export async function botSubscription(deps: AppDeps, bot: { name: string }): Promise<BotSubscription> {
  if (!deps.subscriptions) return null;
  const { mode } = deps.subscriptions;
  try {
    return { mode, ...(await deps.subscriptions.status(`${bot.name}.gbai`)) };
  } catch (error) {
    return { mode, state: "unknown", target: null, error: errorText(error) };
  }
}

/** Changes reach the bot only at the next reconcile (every RECONCILE_INTERVAL_MS), not within milliseconds. */
export function subscriptionNeedsAttention(subscription: BotSubscription): boolean {
  return subscription !== null && subscription.state !== "subscribed";
}
