import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnosticsMarkdown } from "../src/diagnostics/docs.js";
import { repoRoot } from "./helpers.js";

describe("docs/diagnostics.md", () => {
  it("is generated from the code table (run `npm run gen:docs` after changing src/diagnostics/codes.ts)", () => {
    expect(readFileSync(join(repoRoot, "docs/diagnostics.md"), "utf8")).toBe(diagnosticsMarkdown());
  });
});
