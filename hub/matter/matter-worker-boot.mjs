// Entry of the Matter worker thread. The hub's sources are TypeScript run through tsx, and Node 20 does not
// carry a loader registered in the main thread (by bin/sweephub.mjs or `--import tsx`) into worker threads:
// the worker registers its own before it imports the TypeScript entry.
import { register } from "tsx/esm/api";

register();
await import("./matter-worker.ts");
