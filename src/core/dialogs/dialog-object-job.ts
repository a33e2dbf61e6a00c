/**
 * `{bot}.gbai/{bot}.gbdialog/**\/*.bas` → the `.ast` the botserver runs, its `.mcp.json` / `.tool.json`,
 * the `basic_tools` row and the script's `system_automations` schedules. A script with errors fails with
 * every diagnostic and leaves the last good artifacts in place (its message says whether there were any).
 */
import { compileBasic } from "../basic/compile.js";
import { BotsyncError } from "../errors.js";
import type { BytesObjectJobHandler } from "../jobs/object-job-handler.js";
import type { ObjectKind } from "../jobs/object-kind.js";
import type { ArtifactStore } from "../ports/artifact-store.js";
import { utf8Text } from "../text/utf8.js";
import { dialogToolName } from "./dialog-name.js";
import type { DialogStore } from "./dialog-store.js";

/** Dialogs are small programs; a megabyte of BASIC is a mistake, not a script. */
export const DIALOG_MAX_BYTES = 1024 * 1024;

export function artifactFiles(toolName: string): { ast: string; mcp: string; tool: string } {
  return { ast: `${toolName}.ast`, mcp: `${toolName}.mcp.json`, tool: `${toolName}.tool.json` };
}

/**
 * `{bot}.gbdialog/**\/NAME.bas`, `.bas` in any case, NAME not empty. Unlike the botserver, a `.bas`
 * outside `{bot}.gbdialog/` is not a dialog (it compiled any `.bas` anywhere in the bucket).
 */
export function dialogKind(artifacts: ArtifactStore): ObjectKind<DialogStore> {
  return {
    name: "dialog",
    fileType: "bas",
    lane: "fast",
    matches: (bot, key) => {
      if (!key.startsWith(`${bot}.gbdialog/`)) return false;
      const fileName = key.slice(key.lastIndexOf("/") + 1);
      return fileName.length > 4 && fileName.slice(-4).toLowerCase() === ".bas";
    },
    handler: dialogObjectJob(artifacts),
  };
}

export function dialogObjectJob(artifacts: ArtifactStore): BytesObjectJobHandler<DialogStore> {
  return {
    maxBytes: DIALOG_MAX_BYTES,
    async apply({ job, bytes }, store) {
      const source = utf8Text(bytes);
      if (source === null) throw new BotsyncError("BASIC_INVALID_UTF8", `${job.key} is not valid UTF-8; save it as UTF-8`);
      const toolName = dialogToolName(job.bot, job.key);
      const compiled = compileBasic(source, { name: toolName });
      const errors = compiled.diagnostics.filter((d) => d.severity === "error");
      const owner = await store.toolNameOwner({ botId: job.botId, toolName });
      if (!compiled.ok || compiled.ast === null) {
        const first = errors[0];
        // An active basic_tools row of this very file means an earlier compile wrote its .ast.
        const kept = owner === job.filePath ? "the last good .ast is kept" : "no .ast was written (there is no earlier good version)";
        throw new BotsyncError(
          "BASIC_COMPILE_FAILED",
          `${errors.length} error(s)${first ? `; first at ${first.line}:${first.column}: ${first.message}` : ""}; ${kept}`,
          { details: { diagnostics: compiled.diagnostics } },
        );
      }
      if (owner !== null && owner !== job.filePath) {
        throw new BotsyncError("DIALOG_NAME_TAKEN", `tool name "${toolName}" already belongs to ${owner}; rename one of the scripts`);
      }
      const files = artifactFiles(toolName);
      await artifacts.write(job.bot, files.mcp, JSON.stringify(compiled.tool.mcp, null, 2));
      await artifacts.write(job.bot, files.tool, JSON.stringify(compiled.tool.openai, null, 2));
      await artifacts.write(job.bot, files.ast, compiled.ast);
      await store.applyDialog({
        botId: job.botId,
        filePath: job.filePath,
        toolName,
        astPath: artifacts.locate(job.bot, files.ast),
        mcp: compiled.tool.mcp,
        tool: compiled.tool.openai,
        schedules: compiled.schedules,
      });
      return { diagnostics: compiled.diagnostics };
    },
    async remove({ job }, store) {
      const toolName = dialogToolName(job.bot, job.key);
      // Only the script that owns the name takes its artifacts with it.
      const owner = await store.toolNameOwner({ botId: job.botId, toolName });
      if (owner !== null && owner !== job.filePath) return;
      const files = artifactFiles(toolName);
      await Promise.all([files.ast, files.mcp, files.tool].map((file) => artifacts.remove(job.bot, file)));
      await store.removeDialog({ botId: job.botId, filePath: job.filePath, toolName });
    },
  };
}
