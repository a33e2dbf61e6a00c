import { raw } from "hono/html";
import { CONSOLE_CSS } from "./assets/console-css.js";
import { CONSOLE_JS } from "./assets/console-js.js";
import { ActionForm } from "./components/bits.js";

export type Section = "bots" | "events" | "validate" | null;

const NAV: Array<{ section: Exclude<Section, null>; href: string; label: string }> = [
  { section: "bots", href: "/", label: "Bots" },
  { section: "events", href: "/events", label: "Events" },
  { section: "validate", href: "/validate", label: "Validate" },
];

/**
 * Every console page: the stylesheet inline (one request), the navigation, the sign-out form, and — on pages
 * that use it — the little script. Inline style and script carry the response's CSP nonce.
 */
export function Layout(props: {
  title: string;
  section: Section;
  nonce: string | undefined;
  /** the session's CSRF token; null on the sign-in page (no navigation, no sign-out) */
  csrf: string | null;
  script?: boolean;
  children?: unknown;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        {/* no favicon request (it would only 404) */}
        <link rel="icon" href="data:," />
        <title>{`${props.title} · botsync`}</title>
        <style nonce={props.nonce}>{raw(CONSOLE_CSS)}</style>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/">
            botsync
          </a>
          {props.csrf === null ? null : (
            <>
              <nav aria-label="Console">
                <ul>
                  {NAV.map((item) => (
                    <li>
                      <a href={item.href} aria-current={item.section === props.section ? "page" : undefined}>
                        {item.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              <ActionForm action="/sign-out" csrf={props.csrf} label="Sign out" />
            </>
          )}
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        {props.script ? <script nonce={props.nonce}>{raw(CONSOLE_JS)}</script> : null}
      </body>
    </html>
  );
}
