// Regenerates docs/diagnostics.md from src/diagnostics/codes.ts (`npm run gen:docs`).
import { mkdirSync, writeFileSync } from "node:fs";
import { diagnosticsMarkdown } from "../dist/src/diagnostics/docs.js";
import { packagePath } from "../dist/src/package-root.js";

mkdirSync(packagePath("docs"), { recursive: true });
writeFileSync(packagePath("docs/diagnostics.md"), diagnosticsMarkdown());
