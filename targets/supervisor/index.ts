import { readFileSync } from "node:fs";
import type { Target } from "../../src/emit/target.js";
import { packagePath } from "../../src/package-root.js";
import { buildBundle } from "./bundle.js";
import { buildTypeScript } from "./typescript.js";

const brainSchema = JSON.parse(readFileSync(packagePath("schemas/brain.schema.json"), "utf8"));

/**
 * The supervisor target: `bundle.json` (routing, budgets, policies, tools, prompts: everything brainc's
 * runtime supervisor enforces) and `brain.ts` (typed ids and tool interfaces for agent code).
 */
const supervisor: Target = {
  name: "supervisor",
  optionsSchema: brainSchema.properties.targets.properties.supervisor,
  async emit(brain) {
    return [
      { path: "bundle.json", contents: buildBundle(brain).json },
      { path: "brain.ts", contents: await buildTypeScript(brain) },
    ];
  },
};

export default supervisor;
