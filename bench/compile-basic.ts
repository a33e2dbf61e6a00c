/**
 * Compile speed of the BASIC compiler (docs/budgets.md: a 1,000-line .bas in ≤ 10 ms).
 *
 * Generates a representative 1,000-line script that uses every construct (blocks, keyword forms,
 * BEGIN blocks, SUB/FUNCTION, GOTO, directives, comments, continuation lines), checks that it compiles
 * without errors, warms up, then times many compiles and prints one JSON object:
 *   { lines, astBytes, runs, medianMs, p99Ms, meanMs, linesPerSecond, cpuMsPerCompile, budgetMs, met }
 * (`met`: p99 wall time ≤ budget; on a machine busy with other work, compare cpuMsPerCompile too.)
 * Run: npx tsx bench/compile-basic.ts [--runs=N]
 */
import { compileBasic } from "../src/core/basic/compile.js";

const HEADER = `' Representative dialog used by the compile benchmark
PARAM product AS STRING LIKE "coffee" DESCRIPTION "Product to order"
PARAM size AS STRING ENUM ["small", "medium", "large"] DESCRIPTION "Cup size"
PARAM qty AS INTEGER DESCRIPTION "How many"
DESCRIPTION "Orders a product"
SET SCHEDULE "every monday at 9am"
WEBHOOK "order-hook"
USE WEBSITE "https://example.com" REFRESH "1d"
`;

/** Blocks of source; `@` is replaced by a counter so every copy has its own names. */
const BLOCKS: string[] = [
  `REM block @ — dialog
TALK "Hello " + product + ", welcome back (@)"
HEAR answer@ AS INTEGER
SET BOT MEMORY "topic@", "coffee"
ADD SUGGESTION TEXT "more@" AS "More"
ADD SWITCHER "x@", "y"
REMEMBER "last@", product, "30 days"`,
  `' block @ — expressions
x@ = 1 + 2 * 3 ^ 2 - (qty MOD 4)
y@ = x@ & " items" & UCASE(product)
ok@ = x@ > 3 AND NOT y@ = "a" OR x@ <> 5
list@ = [1, 2, 3, "four"]
map@ = #{ a: 1, "b": [1, 2], c: #{ d: x@ } }
v@ = map@.c.d + list@[0]`,
  `IF qty = @ THEN
  TALK "exactly @"
ELSEIF qty > @ AND qty < 100 THEN
  TALK "between"
ELSE
  TALK "other"
END IF
IF ok@ THEN TALK "fine" ELSE TALK "not fine"`,
  `SELECT CASE qty
  CASE 1
    TALK "one"
  CASE 2, 3
    TALK "few"
  CASE 4 TO 10
    TALK "some"
  CASE IS > 10
    TALK "many"
  CASE ELSE
    TALK "none"
END SELECT`,
  `FOR EACH item@ IN FIND "products", "active=true"
  IF item@.stock = 0 THEN EXIT FOR
  TALK item@.name
NEXT item@
FOR i@ = 1 TO 10 STEP 2
  total@ = total@ + i@
NEXT i@`,
  `WHILE x@ < 100
  x@ = x@ * 2
WEND
DO WHILE x@ > 0
  x@ = x@ - 1
  IF x@ = 5 THEN EXIT DO
LOOP
DO
  x@ = x@ + 1
LOOP UNTIL x@ >= 10`,
  `WITH order@
  product = product
  .qty = qty
END WITH
SAVE "orders", order@
BEGIN TALK
Your order of \${qty} \${product}
is on its way!
END TALK`,
  `BEGIN MAIL "ops@example.com"
Subject: New order \${product}
Order: \${qty} x \${product}
Thanks
END MAIL
result@ = LLM "Summarize order @"
mem@ = GET BOT MEMORY "k@"
SET BOT MEMORY "k@", mem@
data@ = POST "https://api.example.com/@", #{ q: @ }
r@ = POST "https://x/@", #{ a: 1 }
USE KB "docs@"
USE TOOL "tool@"
SEND MAIL "a@b.c", "Subject @", _
  "Body", ""`,
  `CALL Notify("done @")
Notify "again @"
n@ = Twice(@)
SEND_SMS "+15551234", "Hello @"
qr@ = QR CODE "https://example.com/@", 256
w@ = WEATHER "Lisbon"
files@ = LIST "folder@"
WRITE "file@.txt", data@`,
];

const FOOTER = `BEGIN TALK
You are welcome, \${product}.
END TALK
FUNCTION Twice(n AS INTEGER) AS INTEGER
  Twice = n * 2
END FUNCTION
SUB Notify(msg)
  TALK msg
END SUB
`;

export function representativeScript(targetLines = 1000): string {
  const footerLines = FOOTER.split("\n").length - 1;
  const lines: string[] = HEADER.trimEnd().split("\n");
  for (let i = 0; lines.length < targetLines - footerLines; i++) {
    const block = BLOCKS[i % BLOCKS.length]!.replaceAll("@", String(i)).split("\n");
    if (lines.length + block.length > targetLines - footerLines) {
      while (lines.length < targetLines - footerLines) lines.push(`TALK "filler ${lines.length}"`);
      break;
    }
    lines.push(...block);
  }
  return `${lines.join("\n")}\n${FOOTER}`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function main(): void {
  const runsArg = process.argv.find((a) => a.startsWith("--runs="));
  const runs = runsArg === undefined ? 300 : Number(runsArg.slice(7));
  const source = representativeScript();
  const lineCount = source.split("\n").length - 1;
  const check = compileBasic(source, { name: "bench" });
  if (!check.ok) {
    console.error(JSON.stringify(check.diagnostics.filter((d) => d.severity === "error").slice(0, 5), null, 2));
    throw new Error("the benchmark script does not compile");
  }
  for (let i = 0; i < 100; i++) compileBasic(source, { name: "bench" });
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    compileBasic(source, { name: "bench" });
    times.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const medianMs = percentile(times, 50);
  const meanMs = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(
    JSON.stringify({
      lines: lineCount,
      astBytes: check.ast?.length ?? 0,
      runs,
      medianMs: round(medianMs),
      p99Ms: round(percentile(times, 99)),
      meanMs: round(meanMs),
      linesPerSecond: Math.round(lineCount / (medianMs / 1000)),
      // CPU time of the process per compile (GC included): unlike wall time, not inflated by other load.
      cpuMsPerCompile: round((cpu.user + cpu.system) / 1000 / runs),
      budgetMs: 10,
      met: percentile(times, 99) <= 10,
    }),
  );
}

if (process.argv[1]?.endsWith("compile-basic.ts")) main();
