/**
 * For the "compiled" comparison in section 2 only: transpiles functions/, src/ and bench/ingest-server.ts to
 * plain ESM JavaScript in a temp dir (TypeScript's transpileModule, no type check, no bundling), with a
 * package.json ("type": "module") and a node_modules symlink to the project's, so `node ingest-server.js`
 * runs the same code without tsx. `npm start` runs through tsx; this measures what tsx itself costs.
 */
import ts from "typescript";
import { mkdir, readFile, readdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";

async function tsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await tsFiles(path)));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** Returns the path of the transpiled ingest-server.js. */
export async function transpileService(root: string, outDir: string): Promise<string> {
  const files = [...(await tsFiles(join(root, "functions"))), ...(await tsFiles(join(root, "src"))), join(root, "bench/ingest-server.ts")];
  for (const file of files) {
    const source = await readFile(file, "utf8");
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        isolatedModules: true,
        esModuleInterop: true,
        sourceMap: false,
      },
    });
    const target = join(outDir, relative(root, file)).replace(/\.ts$/, ".js");
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
  await writeFile(join(outDir, "package.json"), JSON.stringify({ type: "module", private: true }));
  await symlink(join(root, "node_modules"), join(outDir, "node_modules"), "dir");
  return join(outDir, "bench/ingest-server.js");
}
