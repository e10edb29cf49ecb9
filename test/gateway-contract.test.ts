/**
 * The gateway contract across targets: every model name a runtime sends through the brain's gateway (n8n's
 * chat-model nodes, the supervisor bundle's routes) is one the LiteLLM proxy built from the same brain serves
 * (a `model_name` of its model_list or a `router_settings.model_group_alias`). A name outside that set is
 * answered "Invalid model name" by the proxy on every call.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import litellm from "../targets/litellm/index.js";
import n8n from "../targets/n8n/index.js";
import supervisor from "../targets/supervisor/index.js";
import { emitTarget, exampleBrain, fixtureBrain } from "./helpers.js";

async function servedNames(root: string): Promise<Set<string>> {
  const { files } = await emitTarget(litellm, root);
  const config = parse(files.find((f) => f.path === "config.yaml")!.contents) as { model_list: { model_name: string }[]; router_settings?: { model_group_alias?: Record<string, string> } };
  return new Set([...config.model_list.map((m) => m.model_name), ...Object.keys(config.router_settings?.model_group_alias ?? {})]);
}

describe("gateway contract", () => {
  for (const [name, root] of [["the example brain", exampleBrain], ["n8n-multi-task", fixtureBrain("n8n-multi-task")]] as const) {
    it(`${name}: n8n and the supervisor call only models the LiteLLM proxy serves`, async () => {
      const served = await servedNames(root);
      const sent: string[] = [];
      for (const f of (await emitTarget(n8n, root)).files) {
        if (!f.path.endsWith(".json") || f.path === "credentials.json") continue; // workflows only
        for (const node of JSON.parse(f.contents).nodes as { type: string; parameters: { model?: { value: string } } }[]) {
          if (node.type.endsWith("lmChatOpenAi")) sent.push(node.parameters.model!.value);
        }
      }
      const bundle = JSON.parse((await emitTarget(supervisor, root)).files.find((f) => f.path === "bundle.json")!.contents);
      JSON.stringify(bundle, (key, value) => (key === "gatewayModel" && sent.push(value), value));
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.filter((m) => !served.has(m))).toEqual([]);
    });
  }
});
