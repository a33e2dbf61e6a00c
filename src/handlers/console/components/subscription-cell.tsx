import type { BotSubscription } from "../../api/bot-subscription.js";
import { Badge } from "./bits.js";

/** off: S3_NOTIFY is off, notifications come from a MinIO target set up by hand (or not at all). */
export function SubscriptionCell({ subscription }: { subscription: BotSubscription }) {
  if (subscription === null) return <span class="muted">off</span>;
  const detail = subscription.error ?? subscription.problems?.join("; ") ?? subscription.target ?? undefined;
  const state = subscription.state === "subscribed" ? "synced" : subscription.state === "unknown" ? "drift" : "failed";
  return (
    <span title={detail}>
      <Badge state={state} label={subscription.state} />
    </span>
  );
}
