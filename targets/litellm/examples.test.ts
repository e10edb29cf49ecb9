import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../test/helpers.js";
import { validateConfig } from "./validate.js";

/** LiteLLM's own example configs (test/fixtures/litellm-examples/SOURCE.md), parsed as the proxy does (YAML 1.1, last duplicate key wins). */
const dir = join(repoRoot, "test/fixtures/litellm-examples");
const load = (path: string) => parse(readFileSync(path, "utf8"), { version: "1.1", uniqueKeys: false });
const yamlFiles = (d: string) => readdirSync(d).filter((f) => f.endsWith(".yaml")).sort();

/** The one real example the strict profile rejects, and why (a key LiteLLM silently ignores). */
const STRICT_DRIFT: Record<string, string[]> = { "reject_metadata_tags_config.yaml": ['strict /general_settings must NOT have additional properties "reject_metadata_tags"'] };

describe("the LiteLLM schema copies against LiteLLM's example configs", () => {
  it("holds the 16 real configs", () => {
    expect(yamlFiles(dir)).toHaveLength(16);
  });
  for (const file of yamlFiles(dir)) {
    it(`${file}: permissive accepts it; strict accepts it unless it drifts`, async () => {
      const errors = (await validateConfig(load(join(dir, file)))).map((e) => `${e.schema} ${e.pointer} ${e.message}`);
      expect(errors).toEqual(STRICT_DRIFT[file] ?? []);
    });
  }
  for (const file of yamlFiles(join(dir, "invalid"))) {
    it(`invalid/${file}: the strict schema rejects it`, async () => {
      const errors = await validateConfig(load(join(dir, "invalid", file)));
      expect(errors.filter((e) => e.schema === "strict").length).toBeGreaterThan(0);
    });
  }
});
