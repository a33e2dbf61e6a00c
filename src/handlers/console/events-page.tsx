import type { BotSummary, EventRow } from "../../core/ports/status-reader.js";
import { Badge, Time } from "./components/bits.js";
import { Layout } from "./layout.js";

/** Rows the Events page shows and keeps up to date. */
export const EVENT_ROWS = 100;

const FAILING = new Set<EventRow["result"]>(["failed", "retrying"]);

/** One notification and what became of it; its id lets the page's script replace it when its result changes. */
export function EventRowView({ event }: { event: EventRow }) {
  return (
    <tr id={`ev-${event.id}`} class={FAILING.has(event.result) ? "attention" : undefined}>
      <td>
        <Time at={event.receivedAt} />
      </td>
      <td>
        {event.eventName.replace(/^s3:/, "")}
        {event.source === "webhook" ? null : <span class="muted"> ({event.source})</span>}
      </td>
      <td class="mono">
        {event.bucket}/{event.key}
      </td>
      <td>
        <Badge state={event.outcome} />
        {event.reason ? <span class="muted"> {event.reason}</span> : null}
      </td>
      <td>
        <Badge state={event.result} />
      </td>
      <td>{event.lastError ?? ""}</td>
    </tr>
  );
}

export function EventRowsView({ events }: { events: EventRow[] }) {
  return (
    <>
      {events.map((event) => (
        <EventRowView event={event} />
      ))}
    </>
  );
}

export function EventsPage(props: {
  events: EventRow[];
  bots: BotSummary[];
  bot: string | undefined;
  live: "sse" | "poll";
  /** how often the page fetches new rows when it cannot stream them */
  pollEveryMs: number;
  csrf: string;
  nonce: string | undefined;
}) {
  const query = props.bot === undefined ? "" : `?bot=${encodeURIComponent(props.bot)}`;
  return (
    <Layout title="Events" section="events" nonce={props.nonce} csrf={props.csrf} script>
      <h1>Events{props.bot === undefined ? null : ` for ${props.bot}`}</h1>
      <form method="get" action="/events" class="row">
        <div>
          <label for="bot">Bot</label>
          <select id="bot" name="bot">
            <option value="">every bot</option>
            {props.bots.map((b) => (
              <option value={b.name} selected={b.name === props.bot}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit" class="secondary">
            Show
          </button>
        </div>
      </form>
      <p class="live muted" id="live-status" role="status" data-state="static">
        Showing the latest {EVENT_ROWS}. Reload for newer ones (live updates need JavaScript).
      </p>
      <p class="live" id="live-news" aria-live="polite"></p>
      <div class="scroll">
        <table>
          <caption>Recent notifications, newest first: what ingest decided (outcome) and what became of each (result).</caption>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Event</th>
              <th scope="col">Object</th>
              <th scope="col">Outcome</th>
              <th scope="col">Result</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody
            id="event-rows"
            data-live={props.live}
            data-src={`/events/${props.live === "sse" ? "stream" : "rows"}${query}`}
            data-max={EVENT_ROWS}
            data-every={props.pollEveryMs}
          >
            {props.events.length === 0 ? (
              <tr class="empty">
                <td colspan={6} class="muted">
                  No events yet.
                </td>
              </tr>
            ) : (
              <EventRowsView events={props.events} />
            )}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
