#!/usr/bin/env node
// The sweephub command. Sources are TypeScript, run through tsx's loader (a runtime dependency), so the
// published package, the Docker image and a git checkout all run the same files.
import { register } from "tsx/esm/api";

register();
await import("../hub/cli.ts");
