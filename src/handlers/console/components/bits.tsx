/** Small pieces every console page uses. */
import { CSRF_FIELD } from "../../middleware/session/index.js";

/** A state word in a badge whose colour matches it (the word itself always carries the meaning). */
export function Badge(props: { state: string; label?: string }) {
  return <span class={`badge s-${props.state}`}>{props.label ?? props.state}</span>;
}

/** A timestamp as UTC to the second, machine-readable in `datetime`; "never" for null. */
export function Time(props: { at: string | null }) {
  if (props.at === null) return <span class="muted">never</span>;
  return <time datetime={props.at}>{props.at.slice(0, 19).replace("T", " ")}Z</time>;
}

/** An ETag shortened for a table, the whole value in its title. */
export function Etag(props: { etag: string | null }) {
  if (props.etag === null) return <span class="muted">—</span>;
  return (
    <code title={props.etag}>{props.etag.length > 10 ? `${props.etag.slice(0, 8)}…` : props.etag}</code>
  );
}

export function Notice(props: { kind: "ok" | "error" | "info"; children?: unknown }) {
  return (
    <p class={`notice ${props.kind === "info" ? "" : props.kind}`} role={props.kind === "error" ? "alert" : "status"}>
      {props.children}
    </p>
  );
}

/** A POST form with the session's CSRF token; its one button says what it does. */
export function ActionForm(props: { action: string; csrf: string; label: string; secondary?: boolean; children?: unknown }) {
  return (
    <form method="post" action={props.action}>
      <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
      {props.children}
      <button type="submit" class={props.secondary ? "secondary" : undefined}>
        {props.label}
      </button>
    </form>
  );
}
