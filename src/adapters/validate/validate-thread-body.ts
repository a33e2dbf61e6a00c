/**
 * The body of a validation thread (see thread-validator.ts). `validate-thread.mjs` loads it through tsx in
 * development; `npm run build` bundles it as dist/node/validate-thread.mjs next to the service.
 */
import { validateSource } from "../../core/validate/validate-source.js";
import { serveThread } from "../threads/serve-thread.js";

serveThread(validateSource, "INTERNAL");
