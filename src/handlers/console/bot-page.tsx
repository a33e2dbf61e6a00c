import { SubscriptionCell } from "./components/subscription-cell.js";
import type { DialogState, ObjectState } from "../../core/ports/status-reader.js";
import type { BotPageData, DialogSource, KbSearchView } from "./bot-page-data.js";
import { ActionForm, Badge, Etag, Notice, Time } from "./components/bits.js";
import { DiagnosticList, SourceLines } from "./components/source-lines.js";
import { Layout } from "./layout.js";

export interface BotPageNotices {
  /** objects a "sync now" queued */
  synced?: number;
  syncError?: string;
  /** documents a "re-index" queued */
  reindexed?: number;
}

const SECTIONS = [
  ["drift", "Drift"],
  ["objects", "Objects"],
  ["config", "Config"],
  ["dialogs", "Dialogs"],
  ["kb", "Knowledge base"],
] as const;

/** The Bot page: one bot's objects, drift, config, dialogs and knowledge base, and what can be done about them. */
export function BotPage(props: { data: BotPageData; notices: BotPageNotices; csrf: string; nonce: string | undefined }) {
  const { data, notices, csrf } = props;
  const { bot, health } = data;
  return (
    <Layout title={bot.name} section="bots" nonce={props.nonce} csrf={csrf}>
      <p class="muted">
        <a href="/">Bots</a> / {bot.name}
      </p>
      <h1>
        {bot.name} <Badge state={health.state} label={health.label} />
      </h1>
      {notices.synced === undefined ? null : (
        <Notice kind={notices.syncError ? "error" : "ok"}>
          Sync finished: {notices.synced} {notices.synced === 1 ? "object" : "objects"} queued.
          {notices.syncError ? ` The bucket could not be read: ${notices.syncError}` : null}
        </Notice>
      )}
      {notices.reindexed === undefined ? null : (
        <Notice kind="ok">
          Re-index queued {notices.reindexed} {notices.reindexed === 1 ? "document" : "documents"}.
        </Notice>
      )}
      <div class="actions">
        <ActionForm action={`/bots/${bot.name}/sync`} csrf={csrf} label="Sync now" />
        {data.documents.length > 0 ? <ActionForm action={`/bots/${bot.name}/reindex`} csrf={csrf} label="Re-index knowledge base" secondary /> : null}
        <a class="button secondary" href={`/events?bot=${bot.name}`}>
          Events
        </a>
      </div>
      <dl class="facts">
        <dt>Objects</dt>
        <dd>
          {bot.objects}: {bot.synced} synced, {bot.pending} pending, {bot.retrying} retrying, {bot.failed} failed
        </dd>
        <dt>Last event</dt>
        <dd>
          <Time at={bot.lastEventAt} />
        </dd>
        <dt>Config synced</dt>
        <dd>
          <Time at={bot.configSyncedAt} />
        </dd>
        <dt>Active</dt>
        <dd>{bot.active ? "yes" : "no"}</dd>
        <dt>Notifications</dt>
        <dd>
          <SubscriptionCell subscription={data.subscription} />
          {data.subscription === null ? (
            <span class="muted"> S3_NOTIFY is off: the storage server's own notification setup (or reconcile) applies.</span>
          ) : data.subscription.state === "subscribed" ? (
            <span class="muted"> {data.subscription.target}</span>
          ) : (
            <span> {data.subscription.error ?? data.subscription.problems?.join("; ") ?? ""} — changes wait for the next reconcile.</span>
          )}
        </dd>
      </dl>
      <nav aria-label="On this page">
        <ul class="row plain">
          {SECTIONS.map(([id, label]) => (
            <li>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <DriftSection data={data} />
      <ObjectsSection objects={data.objects} />
      <ConfigSection data={data} />
      <DialogsSection data={data} />
      <KbSection data={data} />
    </Layout>
  );
}

function DriftSection({ data }: { data: BotPageData }) {
  const { drift } = data;
  return (
    <section aria-labelledby="drift">
      <h2 id="drift">Drift</h2>
      {drift.inSync === null ? (
        <Notice kind="error">The bucket could not be listed: {drift.error}</Notice>
      ) : drift.entries.length === 0 ? (
        <p>The bucket and the database agree.</p>
      ) : (
        <div class="scroll">
          <table>
            <caption>Where the bucket (listed now) and the database disagree. The next reconcile, or Sync now, queues each.</caption>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Difference</th>
                <th scope="col">Bucket ETag</th>
                <th scope="col">Known ETag</th>
                <th scope="col">Processed ETag</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {drift.entries.map((e) => (
                <tr>
                  <td class="mono">{e.key}</td>
                  <td>
                    <Badge state="drift" label={e.kind} />
                  </td>
                  <td>
                    <Etag etag={e.bucketEtag} />
                  </td>
                  <td>
                    <Etag etag={e.knownEtag} />
                  </td>
                  <td>
                    <Etag etag={e.processedEtag} />
                  </td>
                  <td>{e.status ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ObjectsSection({ objects }: { objects: ObjectState[] }) {
  return (
    <section aria-labelledby="objects">
      <h2 id="objects">Objects</h2>
      {objects.length === 0 ? (
        <p class="muted">No objects recorded yet.</p>
      ) : (
        <div class="scroll">
          <table>
            <caption>Every object botsync tracks for this bot: the newest ETag it was told of, and the ETag of the bytes it last applied.</caption>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Type</th>
                <th scope="col">State</th>
                <th scope="col">Current ETag</th>
                <th scope="col">Processed ETag</th>
                <th scope="col" class="num">
                  Attempts
                </th>
                <th scope="col">Next attempt</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {objects.map((o) => (
                <tr class={o.status === "failed" || o.status === "retry" ? "attention" : undefined} data-key={o.key}>
                  <td class="mono">{o.key}</td>
                  <td>{o.fileType}</td>
                  <td>
                    <Badge state={o.status} />
                    {o.leased ? " running" : null}
                    {o.present ? null : " (removal pending)"}
                  </td>
                  <td>
                    <Etag etag={o.etag} />
                  </td>
                  <td>
                    <Etag etag={o.processedEtag} />
                    {o.etag !== null && o.processedEtag !== o.etag ? (
                      <>
                        {" "}
                        <Badge state="drift" label="not applied" />
                      </>
                    ) : null}
                  </td>
                  <td class="num">{o.attempts}</td>
                  <td>{o.nextAttemptAt && o.status === "retry" ? <Time at={o.nextAttemptAt} /> : "—"}</td>
                  <td>{o.lastError ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ConfigSection({ data }: { data: BotPageData }) {
  const { configSync, config } = data;
  return (
    <section aria-labelledby="config">
      <h2 id="config">Config</h2>
      {configSync ? (
        <dl class="facts">
          <dt>File</dt>
          <dd class="mono">{configSync.configFilePath}</dd>
          <dt>Applied ETag</dt>
          <dd>
            <Etag etag={configSync.fileHash} />
          </dd>
          <dt>Last sync</dt>
          <dd>
            <Time at={configSync.lastSyncAt} /> ({configSync.syncCount} {configSync.syncCount === 1 ? "sync" : "syncs"})
          </dd>
          <dt>Keys from config.csv</dt>
          <dd>{configSync.ownedKeys}</dd>
        </dl>
      ) : (
        <p class="muted">No config.csv applied yet.</p>
      )}
      {configSync && configSync.diagnostics.length > 0 ? (
        <>
          <h3>config.csv diagnostics</h3>
          <DiagnosticList diagnostics={configSync.diagnostics} />
        </>
      ) : null}
      {config.length === 0 ? null : (
        <div class="scroll">
          <table>
            <caption>bot_configuration rows. Secret values are never shown.</caption>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
                <th scope="col">Type</th>
                <th scope="col">Set by</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {config.map((row) => (
                <tr data-config-key={row.key}>
                  <td class="mono">{row.key}</td>
                  <td class="mono">
                    {row.value}
                    {row.masked ? (
                      <>
                        {" "}
                        <Badge state="ignored" label={row.isEncrypted ? "sealed" : "secret"} />
                      </>
                    ) : null}
                  </td>
                  <td>{row.type}</td>
                  <td>{row.source === "config.csv" ? "config.csv" : "other means"}</td>
                  <td>
                    <Time at={row.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DialogsSection({ data }: { data: BotPageData }) {
  return (
    <section aria-labelledby="dialogs">
      <h2 id="dialogs">Dialogs</h2>
      {data.dialogs.length === 0 ? <p class="muted">No .bas dialogs.</p> : null}
      {data.dialogs.map(({ dialog, source }, index) => (
        <DialogView bot={data.bot.name} dialog={dialog} source={source} id={`dialog-${index + 1}`} />
      ))}
    </section>
  );
}

function DialogView({ bot, dialog, source, id }: { bot: string; dialog: DialogState; source: DialogSource; id: string }) {
  const errors = dialog.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = dialog.diagnostics.length - errors;
  const asked = dialog.diagnostics.length === 0 && source.kind !== "not-read";
  return (
    <details open={asked || errors > 0 || dialog.status === "failed" || dialog.status === "retry"} id={id} data-dialog={dialog.key}>
      <summary>
        <span class="mono">{dialog.key}</span> <Badge state={dialog.status} />
        {errors > 0 ? (
          <>
            {" "}
            <Badge state="error" label={`${errors} ${errors === 1 ? "error" : "errors"}`} />
          </>
        ) : null}
        {warnings > 0 ? (
          <>
            {" "}
            <Badge state="warning" label={`${warnings} ${warnings === 1 ? "warning" : "warnings"}`} />
          </>
        ) : null}
      </summary>
      <dl class="facts">
        <dt>Tool</dt>
        <dd>
          {dialog.tool ? (
            <>
              <code>{dialog.tool.name}</code> ({dialog.tool.active ? "active" : "inactive"}), compiled <Time at={dialog.tool.compiledAt} />
            </>
          ) : (
            <span class="muted">never compiled</span>
          )}
        </dd>
        {dialog.tool ? (
          <>
            <dt>.ast</dt>
            <dd class="mono">{dialog.tool.astPath}</dd>
          </>
        ) : null}
        <dt>Schedules</dt>
        <dd>{dialog.schedules.length === 0 ? <span class="muted">none</span> : dialog.schedules.map((s, i) => <>{i > 0 ? ", " : null}<code>{s}</code></>)}</dd>
        <dt>ETag</dt>
        <dd>
          current <Etag etag={dialog.etag} />, compiled <Etag etag={dialog.processedEtag} />
        </dd>
        {dialog.lastError ? (
          <>
            <dt>Last error</dt>
            <dd>{dialog.lastError}</dd>
          </>
        ) : null}
      </dl>
      {dialog.diagnostics.length > 0 ? (
        <>
          <h3>Diagnostics</h3>
          <DiagnosticList id={id} diagnostics={dialog.diagnostics} />
        </>
      ) : null}
      {source.kind === "not-read" ? (
        <p>
          <a href={`/bots/${bot}?source=${encodeURIComponent(dialog.key)}#${id}`}>Show the source</a>
        </p>
      ) : (
        <>
          {source.kind === "text" ? (
            <>
              {dialog.etag !== null && source.etag !== dialog.etag ? (
                <p class="notice">
                  The file changed since it was last processed (bucket ETag <Etag etag={source.etag} />); the lines below are the bucket's current
                  text.
                </p>
              ) : null}
              <SourceLines id={id} text={source.text} diagnostics={dialog.diagnostics} label={`${dialog.key}, line by line`} />
            </>
          ) : (
            <p class="notice">The source could not be shown: {source.reason}</p>
          )}
        </>
      )}
    </details>
  );
}

function KbSection({ data }: { data: BotPageData }) {
  const failed = data.documents.filter((d) => d.status === "failed" || d.status === "retry");
  return (
    <section aria-labelledby="kb">
      <h2 id="kb">Knowledge base</h2>
      {data.kbs.length === 0 ? (
        <p class="muted">No knowledge-base documents.</p>
      ) : (
        <div class="scroll">
          <table>
            <caption>Knowledge-base folders and their documents.</caption>
            <thead>
              <tr>
                <th scope="col">Folder</th>
                <th scope="col" class="num">
                  Documents
                </th>
                <th scope="col" class="num">
                  Indexed
                </th>
                <th scope="col" class="num">
                  Failed
                </th>
                <th scope="col" class="num">
                  Chunks
                </th>
              </tr>
            </thead>
            <tbody>
              {data.kbs.map((kb) => (
                <tr class={kb.failed > 0 ? "attention" : undefined} data-kb={kb.name}>
                  <th scope="row">{kb.name}</th>
                  <td class="num">{kb.documents}</td>
                  <td class="num">{kb.indexed}</td>
                  <td class="num">{kb.failed}</td>
                  <td class="num">{kb.chunks}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {failed.length > 0 ? (
        <>
          <h3>Documents that failed</h3>
          <ul class="plain">
            {failed.map((d) => (
              <li>
                <Badge state={d.status} /> <span class="mono">{d.key}</span>: {d.lastError ?? "no error recorded"}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {data.kbs.length === 0 ? null : <KbSearchForm data={data} />}
    </section>
  );
}

function KbSearchForm({ data }: { data: BotPageData }) {
  return (
    <>
      <h3 id="search">Search</h3>
      <form method="get" action={`/bots/${data.bot.name}#search`} role="search">
        <div class="row">
          <div>
            <label for="q">Query</label>
            <input id="q" name="q" type="search" required maxlength={1000} value={data.search?.query ?? ""} />
          </div>
          <div>
            <label for="kb-folder">Folder</label>
            <select id="kb-folder" name="kb">
              <option value="">all folders</option>
              {data.kbs.map((kb) => (
                <option value={kb.name} selected={data.search?.kb === kb.name}>
                  {kb.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <button type="submit">Search</button>
          </div>
        </div>
      </form>
      {data.search ? <SearchResults search={data.search} /> : null}
    </>
  );
}

function SearchResults({ search }: { search: KbSearchView }) {
  if (!search.outcome.ok) return <Notice kind="error">Search failed: {search.outcome.error}</Notice>;
  const { hits, mode } = search.outcome;
  return (
    <div id="search-results">
      <p role="status">
        {hits.length} {hits.length === 1 ? "result" : "results"} for “{search.query}” ({mode === "vector" ? "vector search" : "full-text search"}).
      </p>
      <ol class="plain hits">
        {hits.map((hit) => (
          <li>
            <p class="muted">
              <span class="mono">{hit.documentPath}</span> · {hit.kb} · chunk {hit.chunkIndex} · score {hit.score.toFixed(3)}
            </p>
            <p>{hit.text.length > 600 ? `${hit.text.slice(0, 600)}…` : hit.text}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}
