import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emitTarget, fixtureBrain, tempCopy } from "../../test/helpers.js";
import litellm, { checkLitellm } from "./index.js";
import { lintConfig } from "./lint.js";
import { stringifyYaml11 } from "./yaml11.js";

const deployment = (group: string, id: string, extra: Record<string, unknown> = {}) => ({
  model_name: group,
  litellm_params: { model: "openai/gpt-5-mini", api_key: "os.environ/OPENAI_API_KEY", ...extra },
  model_info: { id },
});
/** A small valid config: groups a (two deployments) and b, alias t → a. */
const base = () => ({
  model_list: [deployment("a", "a.1"), deployment("a", "a.2"), deployment("b", "b.1")],
  router_settings: { model_group_alias: { t: "a" } as Record<string, unknown>, fallbacks: [{ a: ["a.2", "b"] }] as Record<string, string[]>[] },
  general_settings: { master_key: "os.environ/LITELLM_MASTER_KEY" },
});
const ENV = new Set(["OPENAI_API_KEY", "LITELLM_MASTER_KEY"]);
const messages = (config: unknown, env: ReadonlySet<string> = ENV) => lintConfig(config, env).map((f) => `${f.pointer}: ${f.message}`);

describe("lintConfig", () => {
  it("accepts a consistent config", () => {
    expect(messages(base())).toEqual([]);
  });

  const cases: [string, (c: ReturnType<typeof base>) => void, string[]][] = [
    ["an alias to a missing group", (c) => void (c.router_settings.model_group_alias.u = "zzz"), ['/router_settings/model_group_alias/u: alias "u" points to "zzz", which is no model group']],
    ["a fallback to nothing known", (c) => c.router_settings.fallbacks.push({ b: ["nope"] }), ['/router_settings/fallbacks/1/b/0: fallbacks target "nope" is no model group, alias or deployment id']],
    ["a fallback keyed by nothing known", (c) => c.router_settings.fallbacks.push({ ghost: ["a"] }), ['/router_settings/fallbacks/1/ghost: fallbacks key "ghost" is no model group, alias or deployment id']],
    ["a fallback cycle", (c) => c.router_settings.fallbacks.push({ b: ["t"] }), ["/router_settings/fallbacks: fallbacks form a cycle: a → b → a"]],
    ["a group falling back to itself", (c) => (c.router_settings.fallbacks = [{ a: ["a"] }]), ["/router_settings/fallbacks: fallbacks form a cycle: a → a"]],
    ["a context-window fallback cycle", (c) => Object.assign(c.router_settings, { context_window_fallbacks: [{ a: ["b"] }, { b: ["a"] }] }), ["/router_settings/context_window_fallbacks: context_window_fallbacks form a cycle: a → b → a"]],
    ["more fallbacks than max_fallbacks", (c) => Object.assign(c.router_settings, { max_fallbacks: 1 }), ['/router_settings/fallbacks/0/a: 2 fallbacks for "a", but max_fallbacks is 1: LiteLLM never tries the last 1']],
    ["a duplicate deployment id", (c) => c.model_list.push(deployment("b", "a.1")), ['/model_list/3/model_info/id: model_info.id "a.1" is also the id of model_list/0; LiteLLM keeps one deployment per id']],
    ["a provider budget for an unused provider", (c) => Object.assign(c.router_settings, { provider_budget_config: { anthropic: { budget_limit: 1, time_period: "1d" } } }), ['/router_settings/provider_budget_config/anthropic: provider budget for "anthropic", which no deployment uses']],
    ["a variable missing from .env.example", (c) => void (c.model_list[2].litellm_params.api_key = "os.environ/OTHER_KEY"), ["/model_list/2/litellm_params/api_key: environment variable OTHER_KEY is read but missing from .env.example"]],
  ];
  for (const [name, mutate, expected] of cases) {
    it(`reports ${name}`, () => {
      const config = base();
      mutate(config);
      expect(messages(config)).toEqual(expected);
    });
  }
});

describe("litellm check()", () => {
  it("passes the target's own output", async () => {
    const { files, diagnostics } = await emitTarget(litellm, fixtureBrain("litellm-explicit-chains"));
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(await checkLitellm(files)).toEqual([]);
  });

  it("rejects output the schemas or the lint reject, as BRN510", async () => {
    const config = base() as Record<string, unknown>;
    (config.router_settings as Record<string, unknown>).fallback = [{ a: ["b"] }];
    (config.model_list as Record<string, unknown>[])[0].litellm_params = { model: "openai/x", rpm: "sixty" };
    const files = [
      { path: "config.yaml", contents: stringifyYaml11(config) },
      { path: ".env.example", contents: "OPENAI_API_KEY=\n" },
      { path: "budgets.json", contents: '{"requests": []}\n' },
    ];
    const found = (await checkLitellm(files)).map((d) => `${d.code} ${d.message}`);
    expect(found).toContain('BRN510 litellm/config.yaml /router_settings: must NOT have additional properties "fallback" (strict LiteLLM config schema)');
    expect(found).toContain("BRN510 litellm/config.yaml /model_list/0/litellm_params/rpm: must be integer (strict and permissive LiteLLM config schemas)");
    expect(found).toContain("BRN510 litellm/config.yaml /general_settings/master_key: environment variable LITELLM_MASTER_KEY is read but missing from .env.example");
  });

  it("rejects plain scalars that PyYAML would read differently", async () => {
    const found = await checkLitellm([{ path: "config.yaml", contents: "model_list: []\nlitellm_settings:\n  max_budget: 1e+3\n" }, { path: "budgets.json", contents: '{"requests": []}' }]);
    expect(found.map((d) => `${d.code} ${d.message}`)).toEqual(['BRN510 litellm/config.yaml: PyYAML, which the proxy loads its config with, reads the plain scalar "1e+3" as another type than YAML 1.1 does here; quote it']);
  });

  it("rejects config.yaml that YAML 1.1 cannot read", async () => {
    const found = await checkLitellm([{ path: "config.yaml", contents: "a: [\n" }]);
    expect(found.map((d) => d.code)).toEqual(["BRN510"]);
    expect(found[0].message).toMatch(/^litellm\/config\.yaml: not valid YAML 1\.1/);
  });

  it("reports a tier whose group collides with a task chain's group", async () => {
    const copy = tempCopy(fixtureBrain("litellm-one-tier"));
    try {
      writeFileSync(join(copy.dir, "models.yaml"), 'providers:\n  anthropic: { api: anthropic, apiKey: "${env:ANTHROPIC_API_KEY}" }\nmodels:\n  sonnet: { provider: anthropic, id: claude-sonnet-4-6, contextWindow: 200000, costPerMTokUsd: { input: 3, output: 15 } }\ntiers:\n  main: [sonnet]\n  task-chat: [sonnet]\n');
      writeFileSync(join(copy.dir, "routing.yaml"), "tasks:\n  chat: { models: [sonnet] }\ndefault: main\n");
      const { diagnostics } = await emitTarget(litellm, copy.dir);
      expect(diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([
        'BRN510 two routes map to the LiteLLM model group "solo-task-chat" (a tier named like a task chain\'s group); LiteLLM would merge them',
        'BRN510 litellm/config.yaml /model_list/2/model_info/id: model_info.id "solo-task-chat.sonnet" is also the id of model_list/1; LiteLLM keeps one deployment per id',
      ]);
    } finally {
      copy.cleanup();
    }
  });
});
