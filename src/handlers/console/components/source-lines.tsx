import type { ObjectDiagnostic } from "../../../core/jobs/job-types.js";

/** A diagnostic as the compiler reports it: 1-based line/column, the end just after the last character. */
export interface SourceDiagnostic extends ObjectDiagnostic {
  endLine?: number;
  endColumn?: number;
}

type Severity = SourceDiagnostic["severity"];
const RANK: Record<Severity, number> = { warning: 1, error: 2 };

/**
 * A source text as numbered lines; each line a diagnostic points at is tinted by its worst severity, the
 * characters it spans are marked, and the reason follows the line. `id` prefixes the line anchors
 * (`{id}-L12`), which the diagnostic list links to.
 */
export function SourceLines(props: { id: string; text: string; diagnostics: SourceDiagnostic[]; label: string }) {
  const lines = props.text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines.at(-1) === "") lines.pop();
  const starting = new Map<number, SourceDiagnostic[]>();
  for (const d of props.diagnostics) {
    if (d.line === undefined || d.line < 1) continue;
    const line = Math.min(d.line, lines.length);
    starting.set(line, [...(starting.get(line) ?? []), d]);
  }
  return (
    <ol class="source" aria-label={props.label}>
      {lines.map((text, index) => {
        const n = index + 1;
        const marks = marksOnLine(text, n, props.diagnostics, lines.length);
        const reasons = starting.get(n) ?? [];
        const worst = worstOf([...marks.map((m) => m.severity), ...reasons.map((d) => d.severity)]);
        return (
          <li id={`${props.id}-L${n}`} class={worst}>
            <span class="ln">{n}</span>
            <span class="code">{segments(text, marks)}</span>
            {reasons.map((d) => (
              <span class={`why ${d.severity}`}>
                {d.severity} at {position(d)} <code>{d.code}</code>: {d.message}
              </span>
            ))}
          </li>
        );
      })}
    </ol>
  );
}

/** Every diagnostic as a line of text, each linked to its line in a SourceLines with the same `id`. */
export function DiagnosticList(props: { id?: string; diagnostics: SourceDiagnostic[] }) {
  if (props.diagnostics.length === 0) return <p class="muted">No diagnostics.</p>;
  return (
    <ul class="plain">
      {props.diagnostics.map((d) => (
        <li>
          <span class={`badge s-${d.severity}`}>{d.severity}</span>{" "}
          {props.id && d.line !== undefined ? <a href={`#${props.id}-L${d.line}`}>{position(d)}</a> : <span>{position(d)}</span>} <code>{d.code}</code>:{" "}
          {d.message}
        </li>
      ))}
    </ul>
  );
}

function position(d: SourceDiagnostic): string {
  if (d.line === undefined) return "(no line)";
  return d.column === undefined ? `line ${d.line}` : `line ${d.line}:${d.column}`;
}

interface Mark {
  start: number;
  end: number;
  severity: Severity;
}

/** The spans of `line` that diagnostics cover; a diagnostic past the end of its line marks one blank. */
function marksOnLine(text: string, line: number, diagnostics: SourceDiagnostic[], lineCount: number): Mark[] {
  const marks: Mark[] = [];
  for (const d of diagnostics) {
    if (d.line === undefined) continue;
    const first = Math.min(d.line, lineCount);
    const last = Math.max(first, Math.min(d.endLine ?? first, lineCount));
    if (line < first || line > last) continue;
    const start = line === first ? Math.max(0, (d.column ?? 1) - 1) : 0;
    let end = line === last && d.endColumn !== undefined && (d.endLine ?? d.line) === line ? d.endColumn - 1 : text.length;
    if (d.endColumn === undefined && line === first && d.column !== undefined) end = wordEnd(text, start);
    marks.push({ start, end: Math.max(end, start + 1), severity: d.severity });
  }
  return marks;
}

/** Without an end column: the word (or single character) the column points at. */
function wordEnd(text: string, start: number): number {
  const match = /^[\w$]+/.exec(text.slice(start));
  return start + (match ? match[0].length : 1);
}

/** The line cut into plain and marked runs; overlapping marks take the worst severity. */
function segments(text: string, marks: Mark[]) {
  if (marks.length === 0) return text;
  const length = Math.max(text.length, ...marks.map((m) => m.end));
  const padded = text.padEnd(length, " ");
  const rank = new Array<number>(length).fill(0);
  for (const m of marks) for (let i = m.start; i < m.end; i++) rank[i] = Math.max(rank[i]!, RANK[m.severity]);
  const out: Array<string | ReturnType<typeof Marked>> = [];
  let from = 0;
  for (let i = 1; i <= length; i++) {
    if (i < length && rank[i] === rank[from]) continue;
    const run = padded.slice(from, i);
    out.push(rank[from] === 0 ? run : Marked({ severity: rank[from] === 2 ? "error" : "warning", text: run }));
    from = i;
  }
  return out;
}

function Marked(props: { severity: Severity; text: string }) {
  return <mark class={props.severity}>{props.text}</mark>;
}

function worstOf(severities: Severity[]): Severity | undefined {
  if (severities.includes("error")) return "error";
  return severities.length > 0 ? "warning" : undefined;
}
