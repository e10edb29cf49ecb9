#!/usr/bin/env node
// Entry point of the `brainc` command. The TypeScript sources are compiled to dist/ by `npm run build`
// (run automatically by `npm ci` / `npm install` through the `prepare` script).
import { existsSync } from "node:fs";
import module from "node:module";

// Node 22.1+ caches compiled code between runs (as tsc does); a no-op on older versions.
module.enableCompileCache?.();

const main = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("brainc: dist/ is missing; run `npm install` (or `npm run build`) in the brainc checkout first.\n");
  process.exit(2);
}
const { run } = await import(main.href);
const code = await run(process.argv.slice(2));
// Once stdout and stderr are flushed, exit at once: letting Node tear the heap down costs tens of ms
// after a big build, and every command has finished its work when run() returns.
let open = 2;
const flushed = () => --open === 0 && process.exit(code);
process.stdout.write("", flushed);
process.stderr.write("", flushed);
