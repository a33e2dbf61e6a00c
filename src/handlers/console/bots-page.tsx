import type { BotSummary } from "../../core/ports/status-reader.js";
import { botDrift, type BotDrift } from "../api/bot-drift.js";
import { botSubscription, subscriptionNeedsAttention, type BotSubscription } from "../api/bot-subscription.js";
import type { AppDeps } from "../app-deps.js";
import { botHealth, type BotHealth } from "./bot-health.js";
import { Badge, Time } from "./components/bits.js";
import { SubscriptionCell } from "./components/subscription-cell.js";
import { nonceOf, renderPage, type ConsoleContext } from "./console-page.js";
import { Layout } from "./layout.js";

/** Buckets listed at once while computing drift: a deployment with many bots must not open a socket per bot. */
const DRIFT_CONCURRENCY = 8;

interface BotRow {
  bot: BotSummary;
  drift: BotDrift;
  health: BotHealth;
  subscription: BotSubscription;
}

type SortKey = "attention" | "name" | "objects" | "synced" | "pending" | "retrying" | "failed" | "drift" | "lastEvent" | "configSynced" | "notifications";

const COLUMNS: Array<{ key: SortKey; label: string; numeric?: boolean; value: (row: BotRow) => string | number }> = [
  { key: "name", label: "Bot", value: (r) => r.bot.name },
  { key: "attention", label: "State", value: (r) => attentionRank(r) },
  { key: "objects", label: "Objects", numeric: true, value: (r) => r.bot.objects },
  { key: "synced", label: "Synced", numeric: true, value: (r) => r.bot.synced },
  { key: "pending", label: "Pending", numeric: true, value: (r) => r.bot.pending },
  { key: "retrying", label: "Retrying", numeric: true, value: (r) => r.bot.retrying },
  { key: "failed", label: "Failed", numeric: true, value: (r) => r.bot.failed },
  { key: "drift", label: "Drift", numeric: true, value: (r) => r.health.drifting ?? Number.MAX_SAFE_INTEGER },
  { key: "lastEvent", label: "Last event", value: (r) => r.bot.lastEventAt ?? "" },
  { key: "configSynced", label: "Config synced", value: (r) => r.bot.configSyncedAt ?? "" },
  { key: "notifications", label: "Notifications", value: (r) => r.subscription?.state ?? "off" },
];

/** Names A to Z; everything else biggest, worst or latest first. */
function defaultDir(key: SortKey): "asc" | "desc" {
  return key === "name" ? "asc" : "desc";
}

/** Higher is worse: failed, then retrying, then drift, then pending. */
function attentionRank(row: BotRow): number {
  return ["synced", "pending", "drift", "retry", "failed"].indexOf(row.health.state);
}

/** `GET /`: every bot, the ones that need attention first unless sorted otherwise (`?sort=&dir=`). */
export async function botsPage(c: ConsoleContext): Promise<Response> {
  const deps = c.env.deps;
  const rows = await withDrift(deps, await deps.status.listBots());
  const sort = (COLUMNS.find((col) => col.key === c.req.query("sort"))?.key ?? "attention") as SortKey;
  const asked = c.req.query("dir");
  const dir = asked === "asc" || asked === "desc" ? asked : defaultDir(sort);
  sortRows(rows, sort, dir);
  const attention = rows.filter(needsAttention).length;
  return renderPage(
    c,
    <Layout title="Bots" section="bots" nonce={nonceOf(c)} csrf={c.get("session").csrf}>
      <h1>Bots</h1>
      {rows.length === 0 ? (
        <p>
          No bots yet. A bot appears when its first file lands in a <code>{"{bot}.gbai"}</code> bucket (or the next reconcile finds it).
        </p>
      ) : (
        <>
          <p role="status">
            {rows.length} {rows.length === 1 ? "bot" : "bots"};{" "}
            {attention === 0 ? "none needs attention." : <strong>{`${attention} ${attention === 1 ? "needs" : "need"} attention.`}</strong>}
          </p>
          <div class="scroll">
            <table>
              <caption>Sync state per bot. Drift compares the bucket, listed now, with the database. Select a column heading to sort.</caption>
              <thead>
                <tr>
                  {COLUMNS.map((col) => (
                    <th scope="col" class={col.numeric ? "num" : undefined} aria-sort={col.key === sort ? (dir === "asc" ? "ascending" : "descending") : undefined}>
                      <a href={`/?sort=${col.key}&dir=${col.key !== sort ? defaultDir(col.key) : dir === "asc" ? "desc" : "asc"}`}>
                        {col.label}
                        {col.key === sort ? (dir === "asc" ? " ▲" : " ▼") : ""}
                      </a>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <BotRowView row={row} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Layout>,
  );
}

/** A bot needs a look when its objects do, or when its bucket is not subscribed (changes then wait for reconcile). */
function needsAttention(row: BotRow): boolean {
  return row.health.attention || subscriptionNeedsAttention(row.subscription);
}

function BotRowView({ row }: { row: BotRow }) {
  const { bot, drift, health } = row;
  return (
    <tr class={needsAttention(row) ? "attention" : undefined} data-bot={bot.name}>
      <th scope="row">
        <a href={`/bots/${bot.name}`}>{bot.name}</a>
        {bot.active ? null : <span class="muted"> (inactive)</span>}
      </th>
      <td>
        <Badge state={health.state} label={health.label} />
      </td>
      <td class="num">{bot.objects}</td>
      <td class="num">{bot.synced}</td>
      <td class="num">{bot.pending}</td>
      <td class="num">{bot.retrying}</td>
      <td class="num">{bot.failed}</td>
      <td class="num">{health.drifting === null ? <span title={drift.error}>unknown</span> : health.drifting === 0 ? "none" : health.drifting}</td>
      <td>
        <Time at={bot.lastEventAt} />
      </td>
      <td>
        <Time at={bot.configSyncedAt} />
      </td>
      <td>
        <SubscriptionCell subscription={row.subscription} />
      </td>
    </tr>
  );
}

async function withDrift(deps: AppDeps, bots: BotSummary[]): Promise<BotRow[]> {
  const rows: BotRow[] = [];
  for (let i = 0; i < bots.length; i += DRIFT_CONCURRENCY) {
    const batch = await Promise.all(
      bots.slice(i, i + DRIFT_CONCURRENCY).map(async (bot) => {
        const [drift, subscription] = await Promise.all([
          (async () => botDrift(deps, bot, await deps.status.listObjects(bot.id)))(),
          botSubscription(deps, bot),
        ]);
        return { bot, drift, health: botHealth(bot, drift), subscription };
      }),
    );
    rows.push(...batch);
  }
  return rows;
}

function sortRows(rows: BotRow[], key: SortKey, dir: "asc" | "desc"): void {
  const value = COLUMNS.find((col) => col.key === key)!.value;
  const sign = dir === "asc" ? 1 : -1;
  rows.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    // Ties keep the worst first, then the name order, whatever the column.
    return sign * order || attentionRank(b) - attentionRank(a) || a.bot.name.localeCompare(b.bot.name);
  });
}
