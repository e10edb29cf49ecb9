import { type Target, builtinOptionsSchema } from "../../src/emit/target.js";
import { buildBundle } from "./bundle.js";
import { buildTypeScript } from "./typescript.js";


/**
 * The supervisor target: `bundle.json` (routing, budgets, policies, tools, prompts: everything brainc's
 * runtime supervisor enforces) and `brain.ts` (typed ids and tool interfaces for agent code).
 */
const supervisor: Target = {
  name: "supervisor",
  optionsSchema: builtinOptionsSchema("supervisor"),
  async emit(brain) {
    return [
      { path: "bundle.json", contents: buildBundle(brain).json },
      { path: "brain.ts", contents: await buildTypeScript(brain) },
    ];
  },
};

export default supervisor;
