/**
 * `GET /events/stream`: the Events page's rows as Server-Sent Events, on Node only (deps.liveEvents). The
 * event log has no push channel, so the stream polls the read model about once a second and sends each row
 * that is new or whose result changed, rendered as the page renders it; rows that did not change are not
 * sent again. It ends when the client goes, the session ends (expiry or a rotated token), or the service
 * shuts down.
 */
import { streamSSE } from "hono/streaming";
import { BotsyncError, errorText } from "../../core/errors.js";
import type { LiveEvents } from "../app-deps.js";
import { readSession } from "../middleware/session/index.js";
import type { ConsoleContext } from "./console-page.js";
import { EVENT_ROWS, EventRowView } from "./events-page.js";

export const POLL_MS = 1_000;
/** a comment line now and then keeps proxies from closing a quiet stream */
export const KEEP_ALIVE_MS = 15_000;

export function streamEvents(c: ConsoleContext, live: LiveEvents, botId: string | undefined): Response {
  const deps = c.env.deps;
  return streamSSE(c, async (stream) => {
    try {
      const gone = new AbortController();
      stream.onAbort(() => gone.abort());
      const ended = AbortSignal.any([gone.signal, live.shutdown]);
      let sent = new Map<string, string>();
      let quietSince = deps.clock.now();
      while (!ended.aborted) {
        if (!(await readSession(c))) break;
        try {
          const events = await deps.status.listEvents({ limit: EVENT_ROWS, botId });
          const rendered = new Map(events.map((event) => [event.id, String(<EventRowView event={event} />)]));
          const changed = [...rendered].filter(([id, html]) => sent.get(id) !== html).map(([, html]) => html);
          sent = rendered;
          if (changed.length > 0) {
            await stream.writeSSE({ event: "rows", data: changed.join("") });
            quietSince = deps.clock.now();
          }
        } catch (error) {
          // The database going away is an outage to wait out, not a reason to drop the operator's page.
          if (!(error instanceof BotsyncError && error.code === "DATABASE_UNAVAILABLE")) throw error;
        }
        if (deps.clock.now() - quietSince >= KEEP_ALIVE_MS) {
          await stream.write(": keep-alive\n\n");
          quietSince = deps.clock.now();
        }
        await deps.clock.sleep(POLL_MS, ended);
      }
    } catch (error) {
      // Logged here, not passed to streamSSE's handler, which would send the error's text to the browser.
      if (!stream.aborted) deps.log.error("console event stream failed", { error: errorText(error) });
    }
  });
}
