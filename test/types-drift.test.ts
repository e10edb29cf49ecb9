/**
 * src/types/ is generated from schemas/ by `npm run gen:types` (json-schema-to-typescript) and committed.
 * This test regenerates the types in memory and fails when the committed files drift from the schemas.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateTypes } from "../src/schema-tools/gen-types.js";
import { repoRoot } from "./helpers.js";

describe("src/types/", () => {
  it("matches what `npm run gen:types` generates from schemas/ (run it after editing a schema)", async () => {
    const generated = await generateTypes();
    const dir = join(repoRoot, "src/types");
    const committed = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".ts")).sort().map((f) => [f, readFileSync(join(dir, f), "utf8")]));
    expect(Object.keys(committed)).toEqual(Object.keys(generated).sort());
    for (const [name, contents] of Object.entries(generated)) expect(committed[name], `src/types/${name} is stale: run npm run gen:types`).toBe(contents);
  });
});
