#!/usr/bin/env node
// The CLI runs from the TypeScript sources through tsx (a dependency), so there is no build step to forget.
import { register } from "tsx/esm/api";

register();
await import("../functions/cli.ts");
