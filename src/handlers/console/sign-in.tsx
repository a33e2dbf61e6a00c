import { Hono } from "hono";
import { BotsyncError } from "../../core/errors.js";
import { limitBody } from "../middleware/body-limit/index.js";
import { endSession, localPath, readSession, requireCsrfToken, requireSession, startSession } from "../middleware/session/index.js";
import { constantTimeEqual } from "../middleware/token-auth/index.js";
import { Notice } from "./components/bits.js";
import { nonceOf, pageHeaders, renderError, renderPage, type ConsoleContext, type ConsoleEnv } from "./console-page.js";
import { Layout } from "./layout.js";

/** A sign-in form holds a token and a path; nothing bigger is a sign-in. */
const SIGN_IN_MAX_BYTES = 8 * 1024;

/** `GET /sign-in`, `POST /sign-in` (the API token in, a session cookie out), `POST /sign-out`. */
export function signInRoutes() {
  const app = new Hono<ConsoleEnv>();
  app.onError(renderError);
  app.get("/sign-in", pageHeaders, async (c) => {
    const next = localPath(c.req.query("next"));
    if (await readSession(c)) return c.redirect(next, 303);
    return signInPage(c, { next, signedOut: c.req.query("signed-out") !== undefined });
  });
  app.post("/sign-in", pageHeaders, limitBody(SIGN_IN_MAX_BYTES), async (c) => {
    // A sign-in posted from another site (login CSRF) is refused; browsers say where a request came from.
    const site = c.req.header("sec-fetch-site");
    if (site !== undefined && site !== "same-origin" && site !== "none") {
      throw new BotsyncError("FORBIDDEN", "sign in from botsync's own sign-in page");
    }
    const form = await c.req.parseBody();
    const next = localPath(form.next);
    const token = typeof form.token === "string" ? form.token.trim() : "";
    const { api } = await c.env.deps.secrets.tokens();
    if (token === "" || !constantTimeEqual(token, api)) {
      // Worth an operator's attention like any wrong token; the presented value is never logged.
      c.env.deps.log.warn("console sign-in refused", { reason: token === "" ? "no token" : "wrong token" });
      return signInPage(c, { next, failed: true }, 401);
    }
    await startSession(c);
    return c.redirect(next, 303);
  });
  app.post("/sign-out", pageHeaders, requireSession("sign-in"), limitBody(SIGN_IN_MAX_BYTES), requireCsrfToken(), (c) => {
    endSession(c);
    return c.redirect("/sign-in?signed-out", 303);
  });
  return app;
}

function signInPage(c: ConsoleContext, state: { next: string; failed?: boolean; signedOut?: boolean }, status: 200 | 401 = 200) {
  return renderPage(
    c,
    <Layout title="Sign in" section={null} nonce={nonceOf(c)} csrf={null}>
      <h1>Sign in</h1>
      {state.signedOut ? <Notice kind="ok">You are signed out.</Notice> : null}
      {state.failed ? (
        <p class="notice error" role="alert" id="token-error">
          That is not the API token. Check it and try again.
        </p>
      ) : null}
      <form method="post" action="/sign-in">
        <input type="hidden" name="next" value={state.next} />
        <label for="token">API token</label>
        <p class="hint" id="token-hint">
          The service's API_TOKEN. <code>npm start</code> prints it on the embedded default.
        </p>
        <input
          id="token"
          name="token"
          type="password"
          required
          autofocus
          autocomplete="current-password"
          size={40}
          aria-describedby={state.failed ? "token-hint token-error" : "token-hint"}
          aria-invalid={state.failed ? "true" : undefined}
        />
        <div class="actions">
          <button type="submit">Sign in</button>
        </div>
      </form>
    </Layout>,
    status,
  );
}
