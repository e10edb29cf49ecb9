/**
 * The gateway contract between the supervisor bundle and the LiteLLM proxy config built from the same brain
 * (src/emit/correlation.ts): every route's `gatewayModel` is a model group of config.yaml, every task class
 * is an alias of the group its route names, and the bundle carries the correlation names the proxy's tag
 * budgets are keyed by.
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import litellm from "../targets/litellm/index.js";
import supervisor from "../targets/supervisor/index.js";
import { emitTarget, exampleBrain, fixtureBrain } from "./helpers.js";

const cases: [string, string, string?][] = [
  ["example", exampleBrain],
  ["example (prod)", exampleBrain, "prod"],
  ["litellm-explicit-chains", fixtureBrain("litellm-explicit-chains")],
];

describe("supervisor bundle ↔ LiteLLM config", () => {
  for (const [name, root, env] of cases) {
    it(`${name}: routes name the proxy's model groups`, async () => {
      const bundle = JSON.parse((await emitTarget(supervisor, root, env)).files.find((f) => f.path === "bundle.json")!.contents);
      const config = parse((await emitTarget(litellm, root, env)).files.find((f) => f.path === "config.yaml")!.contents, { version: "1.1" });
      const groups = new Set(config.model_list.map((d: { model_name: string }) => d.model_name));
      const routes = [bundle.defaultRoute, ...Object.values(bundle.tasks)] as { task: string; gatewayModel: string }[];
      for (const route of routes) {
        expect(groups.has(route.gatewayModel), route.gatewayModel).toBe(true);
        expect(config.router_settings.model_group_alias[route.task]).toBe(route.gatewayModel);
      }
      expect(bundle.correlation).toMatchObject({ sessionField: "litellm_session_id", tagPrefixes: { job: "job:", task: "task:", agent: "agent:" } });
      const budgets = JSON.parse((await emitTarget(litellm, root, env)).files.find((f) => f.path === "budgets.json")!.contents);
      for (const r of budgets.requests.filter((r: { path: string }) => r.path === "/tag/new")) expect(r.body.name.startsWith(bundle.correlation.tagPrefixes.task)).toBe(true);
    });
  }
});
