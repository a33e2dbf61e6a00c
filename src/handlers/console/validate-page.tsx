import type { SourceKind, ValidationResult } from "../../core/validate/validate-source.js";
import { Badge, Notice } from "./components/bits.js";
import { DiagnosticList, SourceLines } from "./components/source-lines.js";
import { Layout } from "./layout.js";
import { CSRF_FIELD } from "../middleware/session/index.js";

export interface ValidateForm {
  kind: SourceKind;
  name: string;
  text: string;
}

/** The Validate page: the form, and after a POST what the jobs would make of the text. */
export function ValidatePage(props: {
  form: ValidateForm;
  result: ValidationResult | null;
  problem: string | null;
  csrf: string;
  nonce: string | undefined;
}) {
  const { form, result } = props;
  return (
    <Layout title="Validate" section="validate" nonce={props.nonce} csrf={props.csrf} script>
      <h1>Validate a dialog or config.csv</h1>
      <p>Paste or drop a .bas or config.csv and see what botsync would make of it, before it is uploaded. Nothing is stored.</p>
      <form method="post" action="/validate" enctype="multipart/form-data">
        <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
        <div class="row">
          <div>
            <label for="kind">Kind</label>
            <select id="kind" name="kind">
              <option value="bas" selected={form.kind === "bas"}>
                BASIC dialog (.bas)
              </option>
              <option value="config" selected={form.kind === "config"}>
                config.csv
              </option>
            </select>
          </div>
          <div>
            <label for="name">Dialog name</label>
            <input id="name" name="name" value={form.name} maxlength={200} aria-describedby="name-hint" />
            <p class="hint" id="name-hint">
              The tool name; the file name without .bas.
            </p>
          </div>
          <div>
            <label for="file">Or choose a file</label>
            <input id="file" name="file" type="file" accept=".bas,.csv,text/plain,text/csv" />
          </div>
        </div>
        <label for="source">Text</label>
        <p class="hint" id="source-hint">
          Paste the file here, or drop it onto the box.
        </p>
        <p class="hint" id="file-note" aria-live="polite"></p>
        <textarea id="source" name="text" spellcheck={false} aria-describedby="source-hint">
          {/* HTML drops one newline right after <textarea>: this one, not the text's own first line. */}
          {`\n${form.text}`}
        </textarea>
        <div class="actions">
          <button type="submit">Validate</button>
        </div>
      </form>
      {props.problem ? <Notice kind="error">{props.problem}</Notice> : null}
      {result ? <ValidationView result={result} text={form.text} /> : null}
    </Layout>
  );
}

function ValidationView({ result, text }: { result: ValidationResult; text: string }) {
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  return (
    <section aria-labelledby="result" id="validation">
      <h2 id="result">
        Result{" "}
        {result.ok ? <Badge state="ok" label="valid" /> : <Badge state="error" label={`${errors} ${errors === 1 ? "error" : "errors"}`} />}
      </h2>
      <DiagnosticList id="pasted" diagnostics={result.diagnostics} />
      {result.diagnostics.length > 0 ? <SourceLines id="pasted" text={text} diagnostics={result.diagnostics} label="The text with its diagnostics" /> : null}
      {result.kind === "bas" ? (
        <>
          <h3>Schedules</h3>
          <p>{result.schedules.length === 0 ? "none" : result.schedules.join(", ")}</p>
          {result.artifacts ? (
            <details>
              <summary>The .ast it would write</summary>
              <pre class="scroll">{result.artifacts.ast}</pre>
            </details>
          ) : null}
        </>
      ) : (
        <div class="scroll">
          <table>
            <caption>What bot_configuration would hold. Secret values are never shown.</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  Line
                </th>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
                <th scope="col">Type</th>
              </tr>
            </thead>
            <tbody>
              {result.entries.map((e) => (
                <tr>
                  <td class="num">{e.line}</td>
                  <td class="mono">{e.key}</td>
                  <td class="mono">
                    {e.value}
                    {e.encrypted ? (
                      <>
                        {" "}
                        <Badge state="ignored" label="sealed" />
                      </>
                    ) : null}
                  </td>
                  <td>{e.type}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
