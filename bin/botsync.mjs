#!/usr/bin/env node
// The CLI runs from its esbuild bundle (dist/node/cli.mjs): starting it takes a fraction of a second, where
// compiling the TypeScript sources on every call took about two. The bundle is rebuilt first whenever a
// source file is newer, so there is no build step to forget.
import { buildIfStale } from "./build.mjs";

const outdir = await buildIfStale();
await import(new URL(`file://${outdir}/cli.mjs`).href);
