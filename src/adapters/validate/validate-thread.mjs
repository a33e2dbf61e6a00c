// Development entry of a validation thread (the service runs from TypeScript sources through tsx): register
// tsx in this thread, then run the TypeScript body. `npm run build` bundles the body itself as
// validate-thread.mjs next to the built service, so production threads need no loader.
import { register } from "tsx/esm/api";

register();
await import("./validate-thread-body.ts");
