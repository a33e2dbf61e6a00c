/**
 * xlsx — every worksheet's cells, in workbook order: the sheet name on a line, then one line per row with
 * the non-empty cell values separated by tabs; sheets separated by a blank line. The botserver joins "all
 * sheets' cells" through calamine.
 *
 * Libraries: `fflate` (zip.ts, bomb-checked) + `htmlparser2` (markup-stream.ts) over SpreadsheetML. SheetJS
 * (`xlsx`) is no longer published to npm at current versions; `exceljs` loads whole workbooks into memory
 * through JSZip (no inflate limits) and pulls in a dozen dependencies. Reading the XML ourselves streams each
 * sheet while it is inflated — a 100 MiB workbook never exists as one string — and stops as soon as the text
 * limit is reached.
 *
 * Cell values: shared strings (`t="s"`, rich-text runs joined, phonetic `rPh` runs dropped), inline strings
 * (`t="inlineStr"`), formula string results (`t="str"`), booleans as TRUE/FALSE, errors (`#N/A`) and
 * numbers as written in the file (the cached formula result; formulas themselves are not indexed). Number
 * formats are not applied: a date is its serial number (45292, not 2024-01-01) — a known limitation.
 * Chart sheets and hidden-state are ignored (hidden sheets are indexed). meta.sheets = worksheets read.
 */
import type { ExtractContext } from "./context.js";
import { localName } from "./markup-stream.js";
import { isRelType, mainPart, openPackage, readPart, relationshipsOf, type OoxmlPackage } from "./ooxml.js";
import type { RandomAccessBytes } from "./random-access.js";

/** Stops reading the shared-string table once it holds the text limit's worth of characters. */
class TableFull extends Error {}

/**
 * The shared-string table, holding at most the text limit's worth of characters in total: the extracted
 * text can never use more, and a hostile table of hundreds of MiB must not be held in memory. Strings past
 * that budget are empty (cells using them are indexed empty, with a warning), and the rest of the part is
 * not even inflated.
 */
function readSharedStrings(pkg: OoxmlPackage, part: string, ctx: ExtractContext): string[] {
  const strings: string[] = [];
  let current: string[] | null = null;
  let inText = 0;
  let phonetic = 0;
  let budget = ctx.limits.maxExtractedChars;
  try {
    readPart(
      pkg,
      part,
      {
        open(name) {
          const n = localName(name);
          if (n === "si") current = [];
          else if (n === "t") inText++;
          else if (n === "rPh") phonetic++;
        },
        close(name) {
          const n = localName(name);
          if (n === "si") {
            // its own copy: a text event is a slice of the whole piece of XML the parser was given (V8 keeps
            // the piece alive for as long as the slice lives), so a table of slices held the decoded XML of
            // the whole part — 190 MB more at the peak for a 100 MiB workbook
            strings.push(current === null ? "" : ownCopy(current.join("")));
            current = null;
          } else if (n === "t") inText--;
          else if (n === "rPh") phonetic--;
        },
        text(text) {
          if (current === null || inText === 0 || phonetic > 0) return;
          if (text.length > budget) {
            ctx.warn(`the workbook's shared strings hold more than ${ctx.limits.maxExtractedChars} characters; cells using the rest are indexed empty`);
            if (budget > 0) current.push(text.slice(0, budget));
            strings.push(ownCopy(current.join("")));
            throw new TableFull();
          }
          budget -= text.length;
          current.push(text);
        },
      },
      ctx,
    );
  } catch (error) {
    if (!(error instanceof TableFull)) throw error;
  }
  return strings;
}

/** A string that shares no memory with the one it was sliced from (concatenation flattens; the slice is of that). */
function ownCopy(text: string): string {
  return text.length === 0 ? text : (" " + text).slice(1);
}

function readSheet(pkg: OoxmlPackage, part: string, shared: string[], ctx: ExtractContext): void {
  let row: string[] = [];
  let cellType = "n";
  let value: string[] | null = null; // collecting <v> or inline <t> text of the current cell
  let inV = 0;
  let inInlineT = 0;
  let inIs = 0;
  let phonetic = 0;
  // a row (or one cell) longer than what the sink can still take is written early: the sink cuts it there
  let rowChars = 0;
  let valueChars = 0;
  const room = () => ctx.sink.maxChars - ctx.sink.length;
  const pushRow = () => {
    if (row.length > 0) ctx.sink.push(row.join("\t") + "\n");
    row = [];
    rowChars = 0;
  };
  const endCell = () => {
    if (value === null) return;
    const raw = value.join("");
    value = null;
    let text: string;
    switch (cellType) {
      case "s": {
        const i = Number.parseInt(raw, 10);
        text = Number.isInteger(i) ? (shared[i] ?? "") : "";
        break;
      }
      case "b":
        text = raw.trim() === "1" ? "TRUE" : raw.trim() === "0" ? "FALSE" : raw;
        break;
      default:
        text = raw;
    }
    text = text.replace(/\s+/g, " ").trim();
    if (text.length === 0) return;
    row.push(text);
    rowChars += text.length + 1;
    if (rowChars > room()) pushRow();
  };
  readPart(
    pkg,
    part,
    {
      open(name, a) {
        const n = localName(name);
        if (n === "row") {
          row = [];
          rowChars = 0;
        } else if (n === "c") {
          cellType = a["t"] ?? "n";
          value = null;
          valueChars = 0;
        } else if (n === "v") {
          inV++;
          value ??= [];
        } else if (n === "is") inIs++;
        else if (n === "t" && inIs > 0) {
          inInlineT++;
          value ??= [];
        } else if (n === "rPh") phonetic++; // phonetic runs inside inline strings: not text
      },
      close(name) {
        const n = localName(name);
        if (n === "v") inV--;
        else if (n === "t" && inIs > 0) inInlineT--;
        else if (n === "rPh") phonetic--;
        else if (n === "is") inIs--;
        else if (n === "c") endCell();
        else if (n === "row") pushRow();
      },
      text(text) {
        if (value === null || !(inV > 0 || (inInlineT > 0 && phonetic === 0))) return;
        // a cell's text beyond what the sink can still take would be cut anyway
        if (valueChars > room()) return;
        value.push(text);
        valueChars += text.length;
      },
    },
    ctx,
  );
  pushRow();
}

export function extractXlsx(file: RandomAccessBytes, ctx: ExtractContext): void {
  const pkg = openPackage(file, ctx, "XLSX workbook");
  const workbook = mainPart(pkg, "xl/workbook.xml", ctx);
  const rels = relationshipsOf(pkg, workbook, ctx);
  const sheetTargets = new Map(rels.filter((r) => !r.external && isRelType(r, "/worksheet")).map((r) => [r.id, r.target]));
  const sstRel = rels.find((r) => !r.external && isRelType(r, "/sharedStrings") && pkg.zip.has(r.target));
  const sstPart = sstRel?.target ?? (pkg.zip.has("xl/sharedStrings.xml") ? "xl/sharedStrings.xml" : undefined);
  const shared = sstPart === undefined ? [] : readSharedStrings(pkg, sstPart, ctx);

  const sheets: Array<{ name: string; part: string }> = [];
  readPart(
    pkg,
    workbook,
    {
      open(name, a) {
        if (localName(name) !== "sheet") return;
        const rid = Object.entries(a).find(([k]) => localName(k) === "id" && k.includes(":"))?.[1];
        const part = rid === undefined ? undefined : sheetTargets.get(rid);
        if (part !== undefined && pkg.zip.has(part)) sheets.push({ name: a["name"] ?? "", part });
      },
    },
    ctx,
  );

  let read = 0;
  for (const sheet of sheets) {
    if (read > 0) ctx.sink.push("\n");
    read++;
    ctx.meta.sheets = read;
    if (sheet.name.trim() !== "") ctx.sink.push(sheet.name.trim() + "\n");
    readSheet(pkg, sheet.part, shared, ctx);
  }
  ctx.meta.sheets = read;
}
