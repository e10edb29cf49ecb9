import { type Target, builtinOptionsSchema } from "../../src/emit/target.js";
import { buildBundle } from "./bundle.js";
import { buildTypeScript, typeScriptInput, typeScriptKey } from "./typescript.js";

/**
 * The supervisor target: `bundle.json` (routing, budgets, policies, tools, prompts: everything brainc's
 * runtime supervisor enforces) and `brain.ts` (typed ids and tool interfaces for agent code). `brain.ts`
 * carries a cache key: generating it is the most expensive step of a build (TypeScript and
 * json-schema-to-typescript, ≈ 1 s for 1,000 tools), and its inputs (ids and tool schemas) rarely change.
 */
const supervisor: Target = {
  name: "supervisor",
  optionsSchema: builtinOptionsSchema("supervisor"),
  async emit(brain, _options, context) {
    const input = typeScriptInput(brain);
    const key = typeScriptKey(input);
    const brainTs = context.previous("brain.ts", key) ?? (await buildTypeScript(input));
    return [
      { path: "brain.ts", contents: brainTs, key },
      { path: "bundle.json", contents: buildBundle(brain) },
    ];
  },
};

export default supervisor;
